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

namespace {
/// Reads `if` conditions that test the result of one spawn.
struct ResultTest {
  const Stmt *Spawn;
  const ValueDecl *Result;

  bool isResult(const Expr *E) const {
    E = E->IgnoreParenImpCasts();
    if (E == Spawn)
      return true;
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) // (rc = create(...))
      if (BO->getOpcode() == BO_Assign &&
          BO->getRHS()->IgnoreParenImpCasts() == Spawn)
        return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    return Result && DRE && DRE->getDecl() == Result;
  }

  static bool isZero(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (isa<CXXNullPtrLiteralExpr>(E) || isa<GNUNullExpr>(E))
      return true;
    if (const auto *IL = dyn_cast<IntegerLiteral>(E))
      return IL->getValue() == 0;
    return false;
  }

  /// Whether \p Cond holds exactly when the result is non-zero (true), zero
  /// (false), or is no test of the result we can read.
  std::optional<bool> trueWhenNonZero(const Expr *Cond) const {
    const Expr *C = Cond->IgnoreParenImpCasts();
    bool Negated = false;
    while (const auto *UO = dyn_cast<UnaryOperator>(C)) {
      if (UO->getOpcode() != UO_LNot)
        break;
      Negated = !Negated;
      C = UO->getSubExpr()->IgnoreParenImpCasts();
    }
    std::optional<bool> NonZero;
    if (isResult(C)) {
      NonZero = true;
    } else if (const auto *BO = dyn_cast<BinaryOperator>(C)) {
      const Expr *L = BO->getLHS(), *R = BO->getRHS();
      if (isResult(R))
        std::swap(L, R);
      if (isResult(L) && (isZero(R) || BO->isRelationalOp())) {
        switch (BO->getOpcode()) {
        case BO_NE:
        case BO_LT: // rc < 0, the libuv convention for errors
        case BO_GT:
          NonZero = true;
          break;
        case BO_EQ:
          NonZero = false;
          break;
        default:
          break;
        }
      }
    }
    if (!NonZero)
      return std::nullopt;
    return *NonZero != Negated;
  }
};
} // namespace

std::vector<const Stmt *> spawnFailureBranches(const Stmt *Spawn,
                                               const ValueDecl *Result,
                                               bool PointerResult,
                                               const Stmt *Body) {
  std::vector<const Stmt *> Out;
  ResultTest Test{Spawn, Result};
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        const auto *If = dyn_cast<IfStmt>(S);
        if (!If || !If->getCond())
          return Walk::Continue;
        std::optional<bool> ThenIsNonZero = Test.trueWhenNonZero(If->getCond());
        if (!ThenIsNonZero)
          return Walk::Continue;
        // For a pointer, non-null is success; for a status, non-zero is
        // failure.
        bool ThenIsFailure = PointerResult ? !*ThenIsNonZero : *ThenIsNonZero;
        if (const Stmt *Failure = ThenIsFailure ? If->getThen() : If->getElse())
          Out.push_back(Failure);
        return Walk::Continue;
      },
      LambdaPolicy::Enter);
  return Out;
}

ThreadEdgeFilter::ThreadEdgeFilter(FunctionCFG &F, const Stmt *Acquire,
                                   const VarDecl *Holder, bool CSpawn)
    : F(F), Acquire(Acquire), CSpawn(CSpawn) {
  ParentMap &PM = F.parents();
  const Stmt *Body = F.body();
  ASTContext &Ctx = F.context();
  if (CSpawn) {
    // The variable the result goes to (`rc = pthread_create(...)`, `GThread
    // *t = g_thread_new(...)`), and every variable its declaration makes.
    ResultVars.push_back(Holder);
    const ValueDecl *Result = nullptr;
    const Stmt *P =
        PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(Acquire));
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(P)) {
      if (DS->isSingleDecl())
        Result = dyn_cast<VarDecl>(DS->getSingleDecl());
    } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P)) {
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
        Result = DRE->getDecl();
        ResultVars.push_back(Result);
      }
    }
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(PM.getParent(Acquire)))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          ResultVars.push_back(VD);
    const auto *Call = dyn_cast<CallExpr>(Acquire);
    bool Pointer = Holder->getType()->isPointerType() && Call &&
                   Call->getType()->isPointerType();
    Failure = spawnFailureBranches(Acquire, Result, Pointer, Body);
  }
  // The `if`s around the start, and which side it is on.
  const Stmt *Child = Acquire;
  for (const Stmt *P = PM.getParent(Acquire); P && Child != Body;
       Child = P, P = PM.getParent(P)) {
    if (isa<LambdaExpr>(P))
      break;
    const auto *If = dyn_cast<IfStmt>(P);
    if (!If || !If->getCond() ||
        (Child != If->getThen() && Child != If->getElse()))
      continue;
    Guard G{If->getCond(), Child == If->getThen(), {}, std::nullopt};
    G.Cond->Profile(G.Profile, Ctx, /*Canonical=*/true);
    Guards.push_back(std::move(G));
  }
}

bool ThreadEdgeFilter::contradictsGuard(const Stmt *T, unsigned Succ) const {
  const auto *If = dyn_cast_or_null<IfStmt>(T);
  if (Guards.empty() || !If || !If->getCond())
    return false;
  llvm::FoldingSetNodeID Taken;
  If->getCond()->Profile(Taken, F.context(), /*Canonical=*/true);
  for (const Guard &G : Guards) {
    if (G.Profile != Taken || (Succ == 0) == G.Sense)
      continue;
    if (!G.Unchanged)
      G.Unchanged = conditionVarsUnchanged(G.Cond, F.body(), F.parents());
    if (*G.Unchanged)
      return true;
  }
  return false;
}

bool ThreadEdgeFilter::edgeInfeasible(const Stmt *T, unsigned Succ) const {
  if (CSpawn) {
    const auto *If = dyn_cast_or_null<IfStmt>(T);
    bool ThenFails = If && llvm::is_contained(Failure, If->getThen());
    bool ElseFails =
        If && If->getElse() && llvm::is_contained(Failure, If->getElse());
    if ((ThenFails && Succ == 0) || (ElseFails && Succ == 1))
      return true; // where the spawn failed: no thread
    // A test of the result we cannot read: either side may be "no thread".
    if (!ThenFails && !ElseFails &&
        mentions(branchCondition(T), Acquire, ResultVars))
      return true;
  }
  return contradictsGuard(T, Succ);
}

bool ThreadEdgeFilter::pathInfeasible(const LeakPath &Path) const {
  return llvm::any_of(Path.Steps, [&](const PathStep &S) {
    return S.K == PathStep::Branch && edgeInfeasible(S.S, S.Successor);
  });
}

} // namespace leaklib
} // namespace clang
