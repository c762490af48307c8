//===--- ChannelCounting.cpp - leak-tidy ---------------------------------===//
#include "lib/channel/ChannelCounting.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/LifetimeEngine.h"
#include "lib/core/LoopFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include <algorithm>

namespace clang {
namespace leaklib {

uint64_t CountResult::minSent() const {
  if (Exits.empty())
    return 0;
  uint64_t M = InfiniteCount;
  for (const CountedExit &E : Exits)
    M = std::min(M, E.Sent);
  return M;
}

namespace {

uint64_t add(uint64_t A, uint64_t B) { return std::min(InfiniteCount, A + B); }
uint64_t mul(uint64_t A, uint64_t K) {
  if (A == 0 || K == 0)
    return 0;
  if (A >= InfiniteCount / K)
    return InfiniteCount;
  return A * K;
}

struct State {
  bool Reachable = true;
  uint64_t Sent = 0;
  uint64_t Senders = 0;
  uint64_t Received = 0;
  uint64_t OwnSent = 0; ///< values sent by the walked body itself
  bool Closed = false;
  bool ReceivedRuntime = false;
  llvm::SmallVector<std::pair<const Stmt *, uint64_t>, 4> Starts;
  llvm::SmallVector<std::pair<const Stmt *, const Stmt *>, 2> PerIteration;

  bool sameCounts(const State &O) const {
    return Sent == O.Sent && Received == O.Received && Closed == O.Closed &&
           Starts.size() == O.Starts.size() &&
           PerIteration.size() == O.PerIteration.size() &&
           ReceivedRuntime == O.ReceivedRuntime;
  }
};

/// Whether \p Loop's body contains a `continue` for this loop (not one of a
/// nested loop).
bool hasOwnContinue(const Stmt *Loop) {
  bool Found = !forEachStmt(
      loopBody(Loop),
      [](const Stmt *S) {
        if (isa<ContinueStmt>(S))
          return Walk::Stop;
        return isLoop(S) ? Walk::SkipChildren : Walk::Continue;
      },
      LambdaPolicy::Skip);
  return Found;
}

class Walker {
public:
  Walker(ASTContext &Ctx, ChannelClassifier Classify, unsigned MaxNodes)
      : Ctx(Ctx), Classify(Classify), Budget(MaxNodes) {}

  CountResult run(const Stmt *Body) {
    State St;
    stmt(Body, St);
    if (St.Reachable)
      exit(nullptr, St);
    CountResult R;
    R.GaveUp = GaveUp;
    if (!GaveUp)
      R.Exits = std::move(Exits);
    return R;
  }

private:
  ASTContext &Ctx;
  ChannelClassifier Classify;
  unsigned Budget;
  bool GaveUp = false;
  unsigned TryDepth = 0; ///< try statements around the walk's position
  std::vector<CountedExit> Exits;
  std::vector<const Stmt *> RuntimeLoops; ///< walked, of run-time trip count

  bool spend() {
    if (GaveUp)
      return false;
    if (Budget == 0) {
      GaveUp = true;
      return false;
    }
    --Budget;
    return true;
  }

  void exit(const Stmt *At, const State &St, bool Throws = false) {
    CountedExit E;
    E.At = At;
    E.Throws = Throws;
    E.Sent = St.Sent;
    E.Senders = St.Senders;
    E.Received = St.Received;
    E.Closed = St.Closed;
    E.Starts = St.Starts;
    E.PerIteration = St.PerIteration;
    E.ReceivedRuntime = St.ReceivedRuntime;
    E.InRuntimeLoop = RuntimeLoops.empty() ? nullptr : RuntimeLoops.back();
    Exits.push_back(std::move(E));
  }

  /// Applies an event; returns false when \p S is not one (look inside).
  bool event(const Stmt *S, State &St) {
    ChannelEvent Ev = Classify(S);
    switch (Ev.K) {
    case ChannelEvent::None:
      return false;
    case ChannelEvent::Start:
      St.Sent = add(St.Sent, Ev.Count);
      St.Senders = add(St.Senders, Ev.Senders);
      St.Starts.push_back({S, Ev.Senders});
      return true;
    case ChannelEvent::Send:
      St.Sent = add(St.Sent, Ev.Count);
      St.OwnSent = add(St.OwnSent, Ev.Count);
      return true;
    case ChannelEvent::Receive:
      St.Received = add(St.Received, Ev.Count);
      return true;
    case ChannelEvent::TryReceive:
      return true;
    case ChannelEvent::Drain:
      St.Received = InfiniteCount;
      return true;
    case ChannelEvent::Close:
      St.Closed = true;
      return true;
    case ChannelEvent::Opaque:
      GaveUp = true;
      return true;
    case ChannelEvent::EndsProcess:
      St.Reachable = false;
      return true;
    }
    return true;
  }

  /// A part that runs only on some paths (the right side of &&, one arm of
  /// ?:): receives and closes there are not sure; starts and sends there
  /// make the count unknown.
  void conditionalExpr(const Stmt *E, State &St) {
    State C = St;
    expr(E, C);
    if (C.Sent != St.Sent || C.Starts.size() != St.Starts.size() ||
        C.PerIteration.size() != St.PerIteration.size())
      GaveUp = true;
  }

  void expr(const Stmt *E, State &St) {
    if (!E || !spend())
      return;
    if (isa<LambdaExpr>(E) || isa<BlockExpr>(E))
      return;
    if (event(E, St))
      return;
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->isLogicalOp()) {
        expr(BO->getLHS(), St);
        conditionalExpr(BO->getRHS(), St);
        return;
      }
    }
    if (const auto *CO = dyn_cast<AbstractConditionalOperator>(E)) {
      expr(CO->getCond(), St);
      conditionalExpr(CO->getTrueExpr(), St);
      conditionalExpr(CO->getFalseExpr(), St);
      return;
    }
    if (const auto *T = dyn_cast<CXXThrowExpr>(E)) {
      expr(T->getSubExpr(), St);
      if (St.Reachable && TryDepth == 0)
        exit(T, St, /*Throws=*/true);
      St.Reachable = false;
      return;
    }
    if (const auto *CS = dyn_cast<CoroutineSuspendExpr>(E)) {
      expr(CS->getOperand(), St); // the rest is the awaiter's machinery
      return;
    }
    if (const auto *DC = dyn_cast<DependentCoawaitExpr>(E)) {
      expr(DC->getOperand(), St);
      return;
    }
    if (isa<StmtExpr>(E)) {
      GaveUp = true;
      return;
    }
    for (const Stmt *C : E->children())
      expr(C, St);
  }

  void merge(State &Into, const State &A, const State &B) {
    if (!A.Reachable) {
      Into = B;
      return;
    }
    if (!B.Reachable) {
      Into = A;
      return;
    }
    if (A.Sent != B.Sent || A.Starts.size() != B.Starts.size() ||
        A.PerIteration.size() != B.PerIteration.size()) {
      GaveUp = true; // a start on one branch only: unknown count
      return;
    }
    Into = A;
    Into.Received = std::min(A.Received, B.Received);
    Into.Closed = A.Closed && B.Closed;
    Into.ReceivedRuntime = A.ReceivedRuntime || B.ReceivedRuntime;
  }

  void loop(const Stmt *S, State &St) {
    if (const auto *F = dyn_cast<ForStmt>(S))
      stmt(F->getInit(), St);
    if (const auto *R = dyn_cast<CXXForRangeStmt>(S)) {
      stmt(R->getInit(), St);
      expr(R->getRangeInit(), St);
    }
    std::optional<uint64_t> K = constantTripCount(S, Ctx);
    LoopExits X = findLoopExits(S);
    bool Leaves = X.Break || X.Goto || hasOwnContinue(S);
    if (Leaves)
      K = std::nullopt;
    State B = St;
    B.Reachable = true;
    if (const auto *W = dyn_cast<WhileStmt>(S))
      expr(W->getCond(), B);
    else if (const auto *F = dyn_cast<ForStmt>(S)) {
      expr(F->getCond(), B);
    }
    if (!K)
      RuntimeLoops.push_back(S);
    stmt(loopBody(S), B);
    if (const auto *F = dyn_cast<ForStmt>(S))
      expr(F->getInc(), B);
    else if (const auto *D = dyn_cast<DoStmt>(S))
      expr(D->getCond(), B);
    if (!K)
      RuntimeLoops.pop_back();
    if (GaveUp)
      return;
    bool Changed = !B.sameCounts(St);
    if (!Changed)
      return; // no traffic in the loop: counts unchanged
    if (!K) {
      runtimeLoop(S, St, B, Leaves);
      return;
    }
    if (!B.Reachable) {
      GaveUp = true; // traffic in a loop we cannot count
      return;
    }
    uint64_t DSent = B.Sent - St.Sent, DRecv = B.Received - St.Received;
    uint64_t DSenders = B.Senders - St.Senders;
    if (B.Received == InfiniteCount)
      DRecv = InfiniteCount;
    for (size_t I = St.Starts.size(); I < B.Starts.size(); ++I)
      St.Starts.push_back({B.Starts[I].first, mul(B.Starts[I].second, *K)});
    if (*K > 0) {
      for (size_t I = St.PerIteration.size(); I < B.PerIteration.size(); ++I)
        St.PerIteration.push_back(B.PerIteration[I]);
      St.ReceivedRuntime |= B.ReceivedRuntime;
    }
    St.Sent = add(St.Sent, mul(DSent, *K));
    St.Senders = add(St.Senders, mul(DSenders, *K));
    St.Received = add(St.Received, mul(DRecv, *K));
    if (*K > 0 && B.Closed)
      St.Closed = true;
  }

  /// Traffic in a loop of run-time trip count \p S, whose body left \p B
  /// from \p St: either it only starts senders, once per iteration (listed,
  /// not counted), or it only receives (afterwards, Received is the least:
  /// no iteration). Anything else gives up.
  void runtimeLoop(const Stmt *S, State &St, const State &B, bool Leaves) {
    bool Starts = B.Starts.size() > St.Starts.size() ||
                  B.PerIteration.size() > St.PerIteration.size();
    bool SameReads =
        B.Received == St.Received && B.ReceivedRuntime == St.ReceivedRuntime;
    if (Starts && !Leaves && B.Reachable && SameReads &&
        B.Closed == St.Closed && B.OwnSent == St.OwnSent &&
        B.PerIteration.size() == St.PerIteration.size()) {
      if (B.Sent > St.Sent) // senders that surely send
        for (size_t I = St.Starts.size(); I < B.Starts.size(); ++I)
          St.PerIteration.push_back({B.Starts[I].first, S});
      return;
    }
    if (!Starts && B.Sent == St.Sent && B.Closed == St.Closed &&
        B.Received < InfiniteCount) {
      St.ReceivedRuntime = true; // exits inside were counted at iteration 1
      return;
    }
    GaveUp = true;
  }

  /// A statement whose inner paths we do not follow (switch, try): fine as
  /// long as no traffic happens inside; returns inside are exits with the
  /// counts at its start.
  void opaque(const Stmt *S, State &St) {
    State B = St;
    for (const Stmt *C : S->children()) {
      B.Reachable = true;
      stmt(C, B);
    }
    if (!B.sameCounts(St))
      GaveUp = true;
  }

  void stmt(const Stmt *S, State &St) {
    if (!S || GaveUp || !St.Reachable || !spend())
      return;
    if (isa<Expr>(S)) {
      expr(S, St);
      return;
    }
    if (event(S, St))
      return;
    switch (S->getStmtClass()) {
    case Stmt::CompoundStmtClass:
      for (const Stmt *C : cast<CompoundStmt>(S)->body())
        stmt(C, St);
      return;
    case Stmt::ReturnStmtClass:
      expr(cast<ReturnStmt>(S)->getRetValue(), St);
      if (St.Reachable)
        exit(S, St);
      St.Reachable = false;
      return;
    case Stmt::CoreturnStmtClass:
      expr(cast<CoreturnStmt>(S)->getOperand(), St);
      if (St.Reachable)
        exit(S, St);
      St.Reachable = false;
      return;
    case Stmt::BreakStmtClass:
    case Stmt::ContinueStmtClass:
      St.Reachable = false;
      return;
    case Stmt::GotoStmtClass:
    case Stmt::IndirectGotoStmtClass:
    case Stmt::LabelStmtClass:
      GaveUp = true;
      return;
    case Stmt::IfStmtClass: {
      const auto *If = cast<IfStmt>(S);
      stmt(If->getInit(), St);
      if (const DeclStmt *DS = If->getConditionVariableDeclStmt())
        stmt(DS, St);
      else
        expr(If->getCond(), St);
      if (If->isConsteval()) {
        GaveUp = true;
        return;
      }
      State T = St, E = St;
      stmt(If->getThen(), T);
      stmt(If->getElse(), E);
      merge(St, T, E);
      return;
    }
    case Stmt::DeclStmtClass:
      for (const Decl *D : cast<DeclStmt>(S)->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          expr(VD->getInit(), St);
      return;
    case Stmt::ForStmtClass:
    case Stmt::WhileStmtClass:
    case Stmt::DoStmtClass:
    case Stmt::CXXForRangeStmtClass:
      loop(S, St);
      return;
    case Stmt::AttributedStmtClass:
      stmt(cast<AttributedStmt>(S)->getSubStmt(), St);
      return;
    case Stmt::NullStmtClass:
      return;
    case Stmt::CXXTryStmtClass:
      ++TryDepth; // a throw inside may be caught here: no exit
      opaque(S, St);
      --TryDepth;
      return;
    default:
      opaque(S, St);
      return;
    }
  }
};

} // namespace

CountResult countChannelTraffic(const Stmt *Body, ASTContext &Ctx,
                                ChannelClassifier Classify, unsigned MaxNodes) {
  Walker W(Ctx, Classify, MaxNodes);
  return W.run(Body);
}

namespace {

/// The counted operations of reachesScopeEndWithout as a resource: a
/// statement \p Stops is true for releases it; the exit edge of the loop
/// NoExitOf cannot be taken.
class StopsModel : public ResourceModel {
public:
  StopsModel(llvm::function_ref<bool(const Stmt *)> Stops, const Stmt *NoExitOf)
      : Stops(Stops), NoExitOf(NoExitOf) {}
  Effect effectOf(const Stmt *S) override {
    return Stops(S) ? Releases : NoEffect;
  }
  bool mayThrow(const Stmt *) override { return false; }
  EdgeVerdict edgeVerdict(const BranchEdge &E) override {
    if (NoExitOf && E.Terminator == NoExitOf && E.Successor != 0)
      return EdgeVerdict::Infeasible; // ends only when the channel is closed
    return EdgeVerdict::Follow;
  }

private:
  llvm::function_ref<bool(const Stmt *)> Stops;
  const Stmt *NoExitOf;
};

/// The last return, break, goto or loop exit on \p P, or null.
const Stmt *lastWayOut(const LeakPath &P) {
  const Stmt *Leave = nullptr;
  for (const PathStep &S : P.Steps) {
    if (S.K == PathStep::Return || S.K == PathStep::Break ||
        S.K == PathStep::Goto)
      Leave = S.S;
    else if (S.K == PathStep::Branch && S.S && isLoop(S.S) && S.Successor != 0)
      Leave = S.S;
  }
  return Leave;
}

} // namespace

bool reachesScopeEndWithout(FunctionCFG &F, const Stmt *From,
                            const VarDecl *Holder,
                            llvm::function_ref<bool(const Stmt *)> Stops,
                            const Stmt *NoExitOf, const Stmt **LeaveAt,
                            bool ThrowsTerminate, unsigned MaxVisits) {
  LifetimeQuery Q;
  Q.Acquire = From;
  Q.Holder = Holder;
  Q.ReportReacquire = false;
  Q.EscapingExceptionsTerminate = ThrowsTerminate;
  Q.MaxVisits = MaxVisits;
  StopsModel M(Stops, NoExitOf);
  LifetimeResult R = analyzeLifetime(F, Q, M);
  if (!R.leaked() || !R.Path)
    return false;
  if (LeaveAt)
    *LeaveAt = lastWayOut(*R.Path);
  return true;
}

} // namespace leaklib
} // namespace clang
