//===--- ThreadPaths.cpp - leak-tidy --------------------------------------===//
#include "lib/thread/ThreadPaths.h"
#include "lib/core/AstHelpers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"

namespace clang {
namespace leaklib {

const Stmt *branchCondition(const Stmt *T) {
  if (const auto *I = dyn_cast_or_null<IfStmt>(T))
    return I->getCond();
  if (const auto *W = dyn_cast_or_null<WhileStmt>(T))
    return W->getCond();
  if (const auto *F = dyn_cast_or_null<ForStmt>(T))
    return F->getCond();
  if (const auto *D = dyn_cast_or_null<DoStmt>(T))
    return D->getCond();
  if (const auto *S = dyn_cast_or_null<SwitchStmt>(T))
    return S->getCond();
  if (const auto *C = dyn_cast_or_null<AbstractConditionalOperator>(T))
    return C->getCond();
  if (const auto *B = dyn_cast_or_null<BinaryOperator>(T))
    return B->getLHS();
  return nullptr;
}

bool mentions(const Stmt *S, const Stmt *Target,
              llvm::ArrayRef<const ValueDecl *> Vars) {
  return anyStmt(
      S,
      [&](const Stmt *X) {
        if (X == Target)
          return true;
        const auto *DRE = dyn_cast<DeclRefExpr>(X);
        return DRE && llvm::is_contained(Vars, DRE->getDecl());
      },
      LambdaPolicy::Enter);
}

bool conditionVarsUnchanged(const Expr *Cond, const Stmt *Body, ParentMap &PM) {
  llvm::SmallVector<const ValueDecl *, 4> Vars;
  bool Opaque = anyStmt(
      Cond,
      [&](const Stmt *S) {
        if (isa<CallExpr>(S) || isa<MemberExpr>(S) || isa<CXXThisExpr>(S))
          return true; // a call or member may give another answer next time
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        if (!DRE)
          return false;
        const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
            VD->getType().isVolatileQualified())
          return true;
        Vars.push_back(VD);
        return false;
      },
      LambdaPolicy::Enter);
  if (Opaque)
    return false;
  return !anyStmt(
      Body,
      [&](const Stmt *S) {
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        if (!DRE || !llvm::is_contained(Vars, DRE->getDecl()))
          return false;
        const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(
            PM.getParent(const_cast<DeclRefExpr *>(DRE)));
        return !Cast || Cast->getCastKind() != CK_LValueToRValue;
      },
      LambdaPolicy::Enter);
}

llvm::SmallVector<const ValueDecl *, 4>
spawnResultVars(const Stmt *Spawn, const VarDecl *Holder, ParentMap &PM) {
  llvm::SmallVector<const ValueDecl *, 4> Vars{Holder};
  const Stmt *P = PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(Spawn));
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P))
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
      Vars.push_back(DRE->getDecl());
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(PM.getParent(Spawn)))
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        Vars.push_back(VD);
  return Vars;
}

ThreadEdgeRules::ThreadEdgeRules(FunctionCFG &F, const Stmt *Acquire,
                                 const VarDecl *Holder, bool CSpawn)
    : F(F), Acquire(Acquire), CSpawn(CSpawn) {
  if (!CSpawn)
    return;
  ResultVars = spawnResultVars(Acquire, Holder, F.parents());
  const auto *Call = dyn_cast<CallExpr>(Acquire);
  bool Pointer = Holder->getType()->isPointerType() && Call &&
                 Call->getType()->isPointerType();
  Failure = Pointer ? FailureConvention::NullPointer
                    : FailureConvention::NonZeroStatus;
}

EdgeVerdict ThreadEdgeRules::verdict(const BranchEdge &E) const {
  EdgeVerdict V = defaultEdgeVerdict(E);
  if (V != EdgeVerdict::Follow || !CSpawn)
    return V;
  // The success edge of a failure test we read is an ordinary edge; any
  // other test of the result may hide the "no thread" side.
  if (isa_and_nonnull<IfStmt>(E.Terminator) && failureValue(E.Condition, E))
    return EdgeVerdict::Follow;
  if (mentions(branchCondition(E.Terminator), Acquire, ResultVars))
    return EdgeVerdict::Unsure;
  return EdgeVerdict::Follow;
}

bool ThreadEdgeRules::isStable(const Expr *Cond) {
  auto [It, New] = Stable.try_emplace(Cond, false);
  if (New)
    It->second = conditionVarsUnchanged(Cond, F.body(), F.parents());
  return It->second;
}

} // namespace leaklib
} // namespace clang
