//===--- AstHelpers.cpp - leak-tidy ---------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/IgnoreExpr.h"
#include "clang/AST/StmtCXX.h"

namespace clang {
namespace leaklib {

static bool isStdOrBoostCall(const CallExpr *Call, llvm::StringRef Name) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier() || FD->getName() != Name)
    return false;
  const auto *NS = dyn_cast<NamespaceDecl>(
      FD->getDeclContext()->getEnclosingNamespaceContext());
  // std::, std::__1:: (inline), boost::
  while (NS && NS->isInline())
    NS = dyn_cast<NamespaceDecl>(NS->getParent());
  return NS && NS->getParent()->isTranslationUnit() && NS->getIdentifier() &&
         (NS->getName() == "std" || NS->getName() == "boost");
}

bool isMoveLike(const CallExpr *Call) {
  if (!Call || Call->getNumArgs() != 1)
    return false;
  return Call->isCallToStdMove() || isStdOrBoostCall(Call, "move") ||
         isStdOrBoostCall(Call, "forward");
}

/// One peeling step of what \p What allows, beyond parens and implicit casts.
static Expr *peelStep(Expr *E, unsigned What) {
  if (What & PeelTemporaries) {
    if (auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      return MTE->getSubExpr();
    if (auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      return BTE->getSubExpr();
  }
  if ((What & PeelExplicitCasts) && isa<ExplicitCastExpr>(E))
    return cast<ExplicitCastExpr>(E)->getSubExpr();
  if (What & (PeelCopies | PeelConversions)) {
    const auto *CE = dyn_cast<CXXConstructExpr>(E);
    if (CE && !isa<CXXTemporaryObjectExpr>(CE) && CE->getNumArgs() >= 1 &&
        (CE->getNumArgs() == 1 || CE->getArg(1)->isDefaultArgument()) &&
        CE->getConstructor()) {
      bool Copy = CE->getConstructor()->isCopyOrMoveConstructor();
      if (Copy || (What & PeelConversions))
        return const_cast<Expr *>(CE->getArg(0));
    }
  }
  if (What & PeelMoves)
    if (auto *Call = dyn_cast<CallExpr>(E); Call && isMoveLike(Call))
      return Call->getArg(0);
  if (What & PeelInitializerLists)
    if (auto *SIL = dyn_cast<CXXStdInitializerListExpr>(E))
      return SIL->getSubExpr();
  if (What & PeelAddressOf)
    if (auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
        return UO->getSubExpr();
  return E;
}

const Expr *ignoreTransparent(const Expr *E, unsigned What) {
  if (!E)
    return nullptr;
  return IgnoreExprNodes(E, IgnoreParensSingleStep,
                         IgnoreImplicitCastsExtraSingleStep,
                         [What](Expr *X) { return peelStep(X, What); });
}

/// Whether \p S, a child chain below \p Loop, is in the part \p Part names.
static bool inLoopPart(const Stmt *Child, const Stmt *Loop, LoopPart Part) {
  if (Child == loopBody(Loop))
    return true;
  if (Part == LoopPart::Body)
    return false;
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return Child == F->getCond() || Child == F->getInc() ||
           Child == F->getConditionVariableDeclStmt();
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return Child == W->getCond() || Child == W->getConditionVariableDeclStmt();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return Child == D->getCond();
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop))
    return Child == R->getCond() || Child == R->getInc() ||
           Child == R->getLoopVarStmt() || Child == R->getBeginStmt() ||
           Child == R->getEndStmt();
  return false;
}

const Stmt *enclosingLoop(const Stmt *S, ASTContext &Ctx, const Stmt *Root,
                          LoopPart Part) {
  if (!S)
    return nullptr;
  const ParentIndex &PI = ParentIndex::get(Ctx);
  const Stmt *Child = S;
  for (unsigned Depth = 0; Depth < 512; ++Depth) {
    if (Child == Root)
      return nullptr;
    auto Ps = PI.parents(*Child);
    // A variable's initializer has the VarDecl as parent, and the VarDecl
    // its DeclStmt (or a condition variable's statement).
    while (Ps.size() == 1 && Ps.front().get<VarDecl>())
      Ps = PI.parents(Ps.front());
    const Stmt *P = Ps.empty() ? nullptr : Ps.front().get<Stmt>();
    if (!P || isa<LambdaExpr, BlockExpr>(P))
      return nullptr;
    if (isLoop(P))
      return inLoopPart(Child, P, Part) ? P : nullptr;
    Child = P;
  }
  return nullptr;
}

static bool walk(const Stmt *S, llvm::function_ref<Walk(const Stmt *)> Fn,
                 LambdaPolicy Lambdas, bool &Stopped) {
  if (!S)
    return true;
  Walk W = Fn(S);
  if (W == Walk::Stop) {
    Stopped = true;
    return false;
  }
  if (W == Walk::SkipChildren)
    return true;
  if (Lambdas == LambdaPolicy::Skip && isa<LambdaExpr, BlockExpr>(S))
    return true;
  for (const Stmt *C : S->children())
    if (!walk(C, Fn, Lambdas, Stopped))
      return false;
  return true;
}

bool forEachStmt(const Stmt *Root, llvm::function_ref<Walk(const Stmt *)> Fn,
                 LambdaPolicy Lambdas) {
  bool Stopped = false;
  walk(Root, Fn, Lambdas, Stopped);
  return !Stopped;
}

bool anyStmt(const Stmt *Root, llvm::function_ref<bool(const Stmt *)> Fn,
             LambdaPolicy Lambdas) {
  return !forEachStmt(
      Root, [&](const Stmt *S) { return Fn(S) ? Walk::Stop : Walk::Continue; },
      Lambdas);
}

bool isFlagType(QualType T) {
  if (T.isNull() || T->isDependentType())
    return false;
  if (T->isBooleanType())
    return true;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  if (!Spec || Spec->getName() != "atomic" || !Spec->isInStdNamespace())
    return false;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  return Args.size() == 1 && Args[0].getKind() == TemplateArgument::Type &&
         Args[0].getAsType()->isBooleanType();
}

} // namespace leaklib
} // namespace clang
