//===--- ThreadArrays.cpp - leak-tidy -------------------------------------===//
//
// Form 3 of leak-unjoined-thread for a local array of C thread handles:
// `pthread_t tids[N]` filled by a counted loop (`for (i = 0; i < N; ++i)
// pthread_create(&tids[i], ...)`) and joined by another counted loop. The
// threads are released only when a join (or detach) loop covering the
// start loop's range runs to its end: the lifetime engine follows the
// paths from the spawn to the end of the array's scope, and the exit edge
// of such a loop holds no thread (ArrayJoinModel). A join loop with a
// smaller range, or a break / return out of it, leaves some threads
// unjoined on that path.
//
//===----------------------------------------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/thread/ThreadFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang {
namespace leaklib {

namespace {

bool refersTo(const Expr *E, const VarDecl *V) {
  const auto *DRE =
      dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  return DRE && DRE->getDecl() == V;
}

/// The counted loop `for (i = Lo; i < Hi; ++i)` (`<=` makes it Inclusive)
/// over the index variable of \p Index, enclosing it.
struct IndexRange {
  const ForStmt *Loop = nullptr;
  const Expr *Lo = nullptr;
  const Expr *Hi = nullptr;
  bool Inclusive = false;
};

bool stepsByOne(const Expr *Inc, const VarDecl *V) {
  Inc = Inc ? Inc->IgnoreParenImpCasts() : nullptr;
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(Inc))
    return UO->isIncrementOp() && refersTo(UO->getSubExpr(), V);
  const auto *BO = dyn_cast_or_null<CompoundAssignOperator>(Inc);
  const auto *One = dyn_cast_or_null<IntegerLiteral>(
      BO ? BO->getRHS()->IgnoreParenImpCasts() : nullptr);
  return BO && BO->getOpcode() == BO_AddAssign && refersTo(BO->getLHS(), V) &&
         One && One->getValue() == 1;
}

/// Whether \p Body changes \p V (assignment, increment, address taken).
bool changes(const Stmt *Body, const VarDecl *V) {
  return anyStmt(
      Body,
      [&](const Stmt *S) {
        if (const auto *UO = dyn_cast<UnaryOperator>(S))
          return (UO->isIncrementDecrementOp() ||
                  UO->getOpcode() == UO_AddrOf) &&
                 refersTo(UO->getSubExpr(), V);
        if (const auto *BO = dyn_cast<BinaryOperator>(S))
          return BO->isAssignmentOp() && refersTo(BO->getLHS(), V);
        return false;
      },
      LambdaPolicy::Enter);
}

std::optional<IndexRange> loopRange(const Expr *Index, ParentMap &PM) {
  const auto *DRE = dyn_cast<DeclRefExpr>(Index->IgnoreParenImpCasts());
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V)
    return std::nullopt;
  for (const Stmt *P = PM.getParent(Index); P; P = PM.getParent(P)) {
    const auto *For = dyn_cast<ForStmt>(P);
    if (!For)
      continue;
    IndexRange R;
    R.Loop = For;
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(For->getInit())) {
      if (DS->isSingleDecl() && DS->getSingleDecl() == V)
        R.Lo = V->getInit();
    } else if (const auto *BO =
                   dyn_cast_or_null<BinaryOperator>(For->getInit())) {
      if (BO->getOpcode() == BO_Assign && refersTo(BO->getLHS(), V))
        R.Lo = BO->getRHS();
    }
    if (!R.Lo)
      continue; // a loop over another variable
    const auto *Cond = dyn_cast_or_null<BinaryOperator>(
        For->getCond() ? For->getCond()->IgnoreParenImpCasts() : nullptr);
    if (!Cond || !refersTo(Cond->getLHS(), V) ||
        (Cond->getOpcode() != BO_LT && Cond->getOpcode() != BO_LE &&
         Cond->getOpcode() != BO_NE) ||
        !stepsByOne(For->getInc(), V) || changes(For->getBody(), V))
      return std::nullopt;
    R.Hi = Cond->getRHS();
    R.Inclusive = Cond->getOpcode() == BO_LE;
    return R;
  }
  return std::nullopt;
}

std::optional<llvm::APSInt> constant(const Expr *E, ASTContext &Ctx) {
  Expr::EvalResult R;
  if (!E || E->isValueDependent() || !E->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt();
}

bool sameExpr(const Expr *A, const Expr *B, ASTContext &Ctx) {
  llvm::FoldingSetNodeID IA, IB;
  A->IgnoreParenImpCasts()->Profile(IA, Ctx, /*Canonical=*/true);
  B->IgnoreParenImpCasts()->Profile(IB, Ctx, /*Canonical=*/true);
  return IA == IB;
}

/// Whether the join range \p J covers the start range \p S: true when it
/// does or we cannot tell, false only when it surely does not (constant
/// bounds, or `n - k` against `n`).
bool covers(const IndexRange &J, const IndexRange &S, ASTContext &Ctx) {
  auto LoJ = constant(J.Lo, Ctx), LoS = constant(S.Lo, Ctx);
  auto HiJ = constant(J.Hi, Ctx), HiS = constant(S.Hi, Ctx);
  if (LoJ && LoS && HiJ && HiS) {
    int64_t EndJ = HiJ->getExtValue() + J.Inclusive;
    int64_t EndS = HiS->getExtValue() + S.Inclusive;
    return LoJ->getExtValue() <= LoS->getExtValue() && EndJ >= EndS;
  }
  if (LoJ && LoS && LoJ->getExtValue() > LoS->getExtValue())
    return false;
  // `i < n - 1` against `i < n`.
  const auto *Sub = dyn_cast<BinaryOperator>(J.Hi->IgnoreParenImpCasts());
  if (Sub && Sub->getOpcode() == BO_Sub && J.Inclusive == S.Inclusive &&
      sameExpr(Sub->getLHS(), S.Hi, Ctx)) {
    auto K = constant(Sub->getRHS(), Ctx);
    if (K && K->getExtValue() > 0)
      return false;
  }
  return true;
}

/// Released on the exit edge of a join loop that covers the start loop.
/// The spawn's failure edge holds no thread for this element, but the
/// threads of the earlier turns still run: when the start loop has more
/// than one turn (\p MultiTurn) it is an ordinary edge, remembered in
/// FailureEdges for the notes.
class ArrayJoinModel : public ResourceModel {
public:
  ArrayJoinModel(const llvm::SmallPtrSetImpl<const Stmt *> &Loops,
                 bool MultiTurn)
      : Loops(Loops), MultiTurn(MultiTurn) {}
  Effect effectOf(const Stmt *) override { return NoEffect; }
  EdgeVerdict edgeVerdict(const BranchEdge &E) override {
    if (E.Successor == 1 && Loops.count(E.Terminator))
      return EdgeVerdict::NotHeld;
    EdgeVerdict V = defaultEdgeVerdict(E);
    if (V != EdgeVerdict::NotHeld || !MultiTurn)
      return V;
    FailureEdges.push_back({E.Terminator, E.Successor});
    return EdgeVerdict::Follow;
  }
  llvm::SmallVector<std::pair<const Stmt *, unsigned>, 2> FailureEdges;

private:
  const llvm::SmallPtrSetImpl<const Stmt *> &Loops;
  bool MultiTurn;
};

/// Whether the start loop may run more than once: not with constant bounds
/// one apart.
bool multiTurn(const IndexRange &R, ASTContext &Ctx) {
  auto Lo = constant(R.Lo, Ctx), Hi = constant(R.Hi, Ctx);
  return !Lo || !Hi || Hi->getExtValue() + R.Inclusive - Lo->getExtValue() > 1;
}

/// `A[i]` of the array \p A: the subscript, or null.
const ArraySubscriptExpr *elementOf(const DeclRefExpr *Ref, ParentMap &PM) {
  const Stmt *P =
      PM.getParentIgnoreParenImpCasts(const_cast<DeclRefExpr *>(Ref));
  const auto *ASE = dyn_cast_or_null<ArraySubscriptExpr>(P);
  return ASE && ASE->getBase()->IgnoreParenImpCasts() == Ref ? ASE : nullptr;
}

} // namespace

bool arrayFindings(const CallExpr *Spawn, const FunctionDecl *FD,
                   FunctionCFG &F, const ThreadApi &Api, ThreadFindings &Out) {
  ParentMap &PM = F.parents();
  ASTContext &Ctx = F.context();
  const auto *Addr = dyn_cast<UnaryOperator>(
      Spawn->getNumArgs() ? Spawn->getArg(0)->IgnoreParenImpCasts() : nullptr);
  const auto *Elem = dyn_cast_or_null<ArraySubscriptExpr>(
      Addr && Addr->getOpcode() == UO_AddrOf
          ? Addr->getSubExpr()->IgnoreParenImpCasts()
          : nullptr);
  const auto *Base = dyn_cast_or_null<DeclRefExpr>(
      Elem ? Elem->getBase()->IgnoreParenImpCasts() : nullptr);
  const auto *A = Base ? dyn_cast<VarDecl>(Base->getDecl()) : nullptr;
  if (!A || !A->hasLocalStorage() || A->getDeclContext() != FD ||
      !isa<ConstantArrayType>(A->getType()) || FD->isMain())
    return false;
  std::optional<IndexRange> Started = loopRange(Elem->getIdx(), PM);
  if (!Started)
    return true; // an array element we cannot follow: silent
  // Every use of the array: an element started, joined or detached by a
  // counted loop, or read; anything else hands it off.
  llvm::SmallPtrSet<const Stmt *, 4> JoinLoops;
  bool Unknown = false;
  const ForStmt *Partial = nullptr;
  forEachStmt(
      FD->getBody(),
      [&](const Stmt *S) {
        const auto *Ref = dyn_cast<DeclRefExpr>(S);
        if (!Ref || Ref->getDecl() != A || Unknown ||
            isa_and_nonnull<UnaryExprOrTypeTraitExpr>(
                PM.getParentIgnoreParenImpCasts(
                    const_cast<DeclRefExpr *>(Ref))))
          return Walk::Continue; // sizeof(tids)
        const ArraySubscriptExpr *E = elementOf(Ref, PM);
        const Stmt *Use = E ? PM.getParentIgnoreParenImpCasts(
                                  const_cast<ArraySubscriptExpr *>(E))
                            : nullptr;
        if (const auto *UO = dyn_cast_or_null<UnaryOperator>(Use)) {
          const Stmt *Call =
              PM.getParentIgnoreParenImpCasts(const_cast<UnaryOperator *>(UO));
          if (UO->getOpcode() != UO_AddrOf ||
              !isa_and_nonnull<CallExpr>(Call) ||
              !Api.SpawnFunctions.matches(
                  cast<CallExpr>(Call)->getDirectCallee()))
            Unknown = true; // &A[i] kept elsewhere
          return Walk::Continue;
        }
        const auto *Call = dyn_cast_or_null<CallExpr>(Use);
        const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
        if (!E || (Use && isa<BinaryOperator>(Use) &&
                   cast<BinaryOperator>(Use)->isAssignmentOp())) {
          Unknown = true; // the array handed off, or an element overwritten
          return Walk::Continue;
        }
        if (!Callee)
          return Walk::Continue; // a read
        bool Releases = Call->getNumArgs() &&
                        Call->getArg(0)->IgnoreParenImpCasts() == E &&
                        (Api.JoinFunctions.matches(Callee) ||
                         Api.DetachFunctions.matches(Callee));
        if (!Releases) {
          if (!Callee->getName().starts_with("pthread_"))
            Unknown = true; // passed to a function that may join it
          return Walk::Continue;
        }
        std::optional<IndexRange> J = loopRange(E->getIdx(), PM);
        if (!J)
          Unknown = true;
        else if (covers(*J, *Started, Ctx))
          JoinLoops.insert(J->Loop);
        else if (!Partial)
          Partial = J->Loop;
        return Walk::Continue;
      },
      LambdaPolicy::Skip);
  if (Unknown)
    return true;
  ArrayJoinModel Model(JoinLoops, multiTurn(*Started, Ctx));
  LifetimeQuery Q;
  Q.Acquire = Spawn;
  Q.Holder = A;
  Q.ReportReacquire = false; // the start loop's next turn
  Q.Failure = FailureConvention::NonZeroStatus;
  LifetimeResult Found = analyzeLifetime(F, Q, Model);
  if (!Found.leaked())
    return true;
  ThreadFinding R;
  R.Kind = ThreadLeak::ArrayNotAllJoined;
  R.Loc = A->getLocation();
  R.Thread = A;
  R.CHandle = true;
  R.IsContainer = true;
  R.Spawn = Spawn->getDirectCallee()->getNameAsString();
  R.Path = std::move(*Found.Path);
  if (Partial)
    R.Loop = Partial->getBeginLoc();
  // The path leaves through the spawn's failure edge: a later turn fails.
  for (const PathStep &S : R.Path.Steps)
    if (S.K == PathStep::Branch &&
        llvm::is_contained(Model.FailureEdges,
                           std::make_pair(S.S, S.Successor)))
      R.FailedSpawnAt = S.Loc;
  Out.push_back(std::move(R));
  return true;
}

} // namespace leaklib
} // namespace clang
