//===--- ThreadBody.cpp - leak-tidy ---------------------------------------===//
#include "lib/thread/ThreadBody.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/NameMatcher.h"
#include "lib/core/VarUses.h"
#include "lib/program/FunctionSummaries.h"
#include "lib/program/WaitingCall.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
namespace leaklib {

/// What lies between a thread's callable argument and the callable: `&f`,
/// temporaries, the copy of a lambda.
static const Expr *stripCallable(const Expr *E) {
  return ignoreTransparent(E, PeelTemporaries | PeelAddressOf | PeelCopies);
}

const Stmt *callableBody(const Expr *Callable) {
  const Expr *E = stripCallable(Callable);
  if (!E)
    return nullptr;
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return L->getBody();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
      const FunctionDecl *Def = nullptr;
      if (!FD->hasBody(Def))
        return nullptr;
      // A static trampoline (`static void *entry(void *p)` calling
      // `((Pool *)p)->run()`) with no loop of its own: the thread runs the
      // method it calls, unless an override may run instead.
      const CXXMethodDecl *Target =
          FunctionSummaries::get(FD->getASTContext()).trampolineTarget(Def);
      const FunctionDecl *TargetDef = nullptr;
      if (Target && !Target->isVirtual() && Target->hasBody(TargetDef) &&
          !anyStmt(
              Def->getBody(), [](const Stmt *S) { return isLoop(S); },
              LambdaPolicy::Skip))
        return TargetDef->getBody();
      return Def->getBody();
    }
    // A local lambda object: auto work = [] { ... }; std::thread t(work);
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->isLocalVarDecl() && VD->getInit())
        if (const auto *L = dyn_cast<LambdaExpr>(stripCallable(VD->getInit())))
          return L->getBody();
  }
  return nullptr;
}

namespace {
/// Locals declared inside a body and whether each is only ever read.
class LocalFacts {
public:
  explicit LocalFacts(const Stmt *Body) {
    // Lambdas are not entered: a capture by reference may change a local
    // (counted below); captures by copy only read it.
    forEachStmt(
        Body,
        [&](const Stmt *S) {
          visit(S);
          return Walk::Continue;
        },
        LambdaPolicy::Skip);
  }
  bool isUnchangedLocal(const VarDecl *V) const {
    return Declared.count(V) && !Changed.count(V);
  }

private:
  llvm::DenseSet<const VarDecl *> Declared, Changed;
  llvm::DenseSet<const Expr *> Read; ///< operands of lvalue-to-rvalue casts

  void visit(const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD->isLocalVarDecl() && !VD->isStaticLocal() &&
              !VD->getType()->isReferenceType())
            Declared.insert(VD);
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(S))
      if (Cast->getCastKind() == CK_LValueToRValue)
        Read.insert(Cast->getSubExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (!Read.count(DRE))
          Changed.insert(VD);
    if (const auto *L = dyn_cast<LambdaExpr>(S))
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
            Changed.insert(VD);
  }
};

/// The condition reads only locals of the body that nothing ever changes
/// (and constants): `bool running = true; while (running) { ... }`.
bool conditionNeverChanges(const Stmt *Loop, const LocalFacts &Locals) {
  const Expr *Cond = loopCondition(Loop);
  if (!Cond || readsSharedState(Cond))
    return false;
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    if (F->getInc())
      return false;
  bool SawVar = false;
  bool Changing = anyStmt(
      Cond,
      [&](const Stmt *S) {
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
        if (!VD)
          return false;
        SawVar = true;
        return !Locals.isUnchangedLocal(VD);
      },
      LambdaPolicy::Enter);
  return SawVar && !Changing;
}

/// A statement at the top level of \p Loop's body calls a function that
/// waits or sleeps on every call (FunctionSummaries::waitsOnEveryCall): the
/// loop is periodic, as when it called the wait itself.
bool callsWaitingFunction(const Stmt *Loop, ASTContext &Ctx,
                          const NameMatcher &WaitFunctions) {
  return waitingHelperCall(Loop, WaitFunctions, Ctx) != nullptr;
}
} // namespace

const Stmt *findEndlessLoop(const Stmt *Body, ASTContext &Ctx,
                            const NameMatcher &WaitFunctions) {
  if (!Body)
    return nullptr;
  LocalFacts Locals(Body);
  const Stmt *Found = nullptr;
  unsigned Budget = 20000;
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        if (!--Budget)
          return Walk::Stop;
        if (isLoop(S) &&
            (isEndlessByCondition(S, Ctx) ||
             conditionNeverChanges(S, Locals)) &&
            !findLoopExits(S).any() && !waitsEachTurn(S, WaitFunctions) &&
            !callsWaitingFunction(S, Ctx, WaitFunctions)) {
          Found = S;
          return Walk::Stop;
        }
        return Walk::Continue;
      },
      LambdaPolicy::Skip);
  return Found;
}

bool isUnboundedLoop(const Stmt *Loop, ASTContext &Ctx) {
  if (!isLoop(Loop) || isa<CXXForRangeStmt>(Loop))
    return false;
  if (constantTripCount(Loop, Ctx))
    return false;
  if (isEndlessByCondition(Loop, Ctx))
    return true;
  const Expr *Cond = loopCondition(Loop);
  if (!Cond)
    return false;
  if (anyStmt(
          Cond,
          [](const Stmt *S) {
            return isa<CallExpr>(S) || isa<CXXConstructExpr>(S);
          },
          LambdaPolicy::Enter))
    return true; // while (accept(...)), while (queue.pop(item)), ...
  // A comparison is a bound we cannot judge (i < n, n-- > 0): stay silent.
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond))
    if (BO->isComparisonOp() || BO->isLogicalOp())
      return false;
  // while (running), while (!stop): a flag, not a count.
  return readsSharedState(Cond);
}

bool callableIgnoresStopToken(const CXXConstructExpr *Ctor) {
  const Expr *E =
      ignoreTransparent(Ctor->getArg(0), PeelTemporaries | PeelAddressOf);
  const FunctionDecl *FD = nullptr;
  if (const auto *L = dyn_cast<LambdaExpr>(E)) {
    if (L->isGenericLambda())
      return false;
    FD = L->getCallOperator();
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    FD = dyn_cast<FunctionDecl>(DRE->getDecl());
    if (FD && (isa<CXXMethodDecl>(FD) || FD->getPrimaryTemplate()))
      return false;
  }
  if (!FD || FD->isVariadic() || FD->getNumParams() != Ctor->getNumArgs() - 1)
    return false;
  for (const ParmVarDecl *P : FD->parameters())
    if (P->hasDefaultArg())
      return false;
  return true;
}

bool bodyFinishesOnItsOwn(const CXXConstructExpr *Ctor, ASTContext &Ctx) {
  const Stmt *Body = callableBody(Ctor->getArg(0));
  if (!Body)
    return false;
  return !anyStmt(
      Body,
      [&](const Stmt *S) {
        if (isLoop(S) &&
            (isUnboundedLoop(S, Ctx) || isEndlessByCondition(S, Ctx)))
          return true;
        const auto *CE = dyn_cast<CallExpr>(S);
        if (!CE)
          return false;
        StringRef N = calleeName(CE);
        return N.contains("wait") || N == "get" || N == "join" || N == "recv" ||
               N == "read" || N == "accept" || N == "pop" || N == "take" ||
               N.contains("lock") || N == "select" || N == "poll";
      },
      LambdaPolicy::Enter);
}

} // namespace leaklib
} // namespace clang
