//===--- ChannelFacts.cpp - leak-tidy ------------------------------------===//
#include "lib/channel/ChannelFacts.h"
#include "lib/channel/ChannelCounting.h"
#include "lib/channel/ChannelMembers.h"
#include "lib/channel/ChannelPipeline.h"
#include "lib/channel/ChannelShape.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/LifetimeEngine.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/VarUses.h"
#include "lib/program/ProjectFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>

namespace clang {
namespace leaklib {

namespace {

bool isReceive(const ChannelUse &U) {
  return U.K == ChannelUse::Drain ||
         (U.K == ChannelUse::Operation &&
          (U.Op == ChannelOp::Receive || U.Op == ChannelOp::TryReceive));
}

/// Whether every way out of \p Loop (break, return, throw, goto) is taken
/// on the status of \p Send: an `if` around it tests the send's result.
/// Such a producer stops only when someone closes the channel.
bool exitsOnlyOnSendStatus(const Stmt *Loop, const Stmt *Send) {
  bool Other = false;
  forEachLoopExit(Loop, [&](const Stmt *, llvm::ArrayRef<const Expr *> Guards) {
    Other = llvm::none_of(Guards, [&](const Expr *C) {
      return anyStmt(
          C, [&](const Stmt *X) { return X == Send; }, LambdaPolicy::Skip);
    });
    return !Other;
  });
  return !Other;
}

/// A loop condition that asks an input for more (`while (src.next(v))`,
/// `while (hasMore())`): calls, and no stop flag -- no member of `this`, no
/// global, nothing atomic, no stop token or future -- that a reader could
/// set. The reader cannot stop such a loop.
bool isOpaqueInputCondition(const Expr *Cond) {
  bool Call = false, Flag = false;
  forEachStmt(
      Cond,
      [&](const Stmt *S) {
        if (isa<CallExpr>(S))
          Call = true;
        if (isa<CXXThisExpr>(S) || isa<CXXDependentScopeMemberExpr>(S))
          Flag = true;
        if (const auto *DR = dyn_cast<DeclRefExpr>(S)) {
          std::string T = DR->getType().getAsString();
          const auto *VD = dyn_cast<VarDecl>(DR->getDecl());
          if ((VD && VD->hasGlobalStorage()) ||
              llvm::StringRef(T).contains("atomic") ||
              llvm::StringRef(T).contains("stop_") ||
              llvm::StringRef(T).contains("future") ||
              llvm::StringRef(T).contains("volatile"))
            Flag = true;
        }
        return Flag ? Walk::Stop : Walk::Continue;
      },
      LambdaPolicy::Skip);
  return Call && !Flag;
}

/// A loop around \p S (inside \p Top) that runs without a known end and
/// without a way out: the producer's endless or input-driven loop. A way out
/// taken only on the send's status is none: it needs a close.
const Stmt *unboundedLoopAround(const Stmt *S, const Stmt *Top,
                                ASTContext &Ctx) {
  for (const Stmt *P = enclosingLoop(S, Ctx, Top, LoopPart::BodyAndCondition);
       P; P = enclosingLoop(P, Ctx, Top, LoopPart::BodyAndCondition)) {
    if (constantTripCount(P, Ctx))
      continue;
    if (findLoopExits(P).any() && !exitsOnlyOnSendStatus(P, S))
      return nullptr; // it can stop: a stop flag, a count, ...
    if (isEndlessByCondition(P, Ctx) || isa<CXXForRangeStmt>(P))
      return P;
    const Expr *Cond = loopCondition(P);
    if (Cond && readsSharedState(Cond) && !isOpaqueInputCondition(Cond))
      return nullptr; // a stop flag or token the consumer may set
    return P;
  }
  return nullptr;
}

/// The call that a callback lambda \p L is handed to (`forEach(src,
/// [&](int v) { ch.push(v); })`), or null.
const CallExpr *callTakingCallback(const LambdaExpr *L, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*L);
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(N);
    if (Ps.size() != 1)
      return nullptr;
    const Stmt *P = Ps[0].get<Stmt>();
    if (const auto *CE = dyn_cast_or_null<CallExpr>(P))
      return CE;
    if (!P || !(isa<ImplicitCastExpr>(P) || isa<MaterializeTemporaryExpr>(P) ||
                isa<CXXBindTemporaryExpr>(P) || isa<CXXConstructExpr>(P) ||
                isa<CXXFunctionalCastExpr>(P)))
      return nullptr;
    N = Ps[0];
  }
  return nullptr;
}

/// The sender lambda directly inside \p Home that \p Inner sits in through
/// callbacks handed to calls (not started as threads of their own), or null.
const LambdaExpr *senderThroughCallbacks(const ChannelIndex &I,
                                         const LambdaExpr *Inner,
                                         const LambdaExpr *Home,
                                         const ChannelModel &M,
                                         ASTContext &Ctx) {
  for (const LambdaExpr *Cur = Inner; Cur;) {
    const LambdaExpr *Up = I.LambdaParent.lookup(Cur);
    if (Up == Home)
      return Cur;
    if (!Up || M.senderStart(Cur, Ctx) || !callTakingCallback(Cur, Ctx))
      return nullptr;
    Cur = Up;
  }
  return nullptr;
}

/// Splits the references of \p L's channel into those of its own body and
/// those of sender lambdas directly inside it. False when a use is out of
/// sight.
bool splitRefs(const ChannelIndex &I, const ChannelHandle &H,
               const LocalChannel &L, LocalTraffic &T,
               llvm::MapVector<const LambdaExpr *,
                               std::vector<const ChannelRef *>> &Senders,
               const ChannelModel &M, ASTContext &Ctx) {
  for (const ChannelRef &R : H.Refs) {
    if (R.Use.K == ChannelUse::Escape && R.Lambda == L.Lambda &&
        isa_and_nonnull<ReturnStmt>(R.Use.Node)) {
      T.ReturnedAt = R.Use.Node; // returned to the caller (seed 003)
      continue;
    }
    // Passed to a function of this TU whose summary says what it does.
    if (R.Use.K == ChannelUse::Alias && R.Lambda == L.Lambda)
      if (const auto *Call = dyn_cast_or_null<CallExpr>(R.Use.Node))
        if (std::optional<HelperEffect> E = helperEffect(
                Call, dyn_cast_or_null<ParmVarDecl>(R.Use.AliasOf), I, Ctx)) {
          T.Helpers.push_back({Call, *E});
          continue;
        }
    switch (R.Use.K) {
    case ChannelUse::Alias:
    case ChannelUse::Escape:
    case ChannelUse::ExternalEscape:
    case ChannelUse::FutureInto:
    case ChannelUse::FutureDiscarded:
      return false;
    default:
      break;
    }
    if (R.Lambda == L.Lambda) {
      T.Direct.push_back(&R);
      continue;
    }
    const LambdaExpr *Sender =
        R.Lambda ? senderThroughCallbacks(I, R.Lambda, L.Lambda, M, Ctx)
                 : nullptr;
    if (!Sender)
      return false;
    Senders[Sender].push_back(&R);
  }
  return !Senders.empty();
}

/// Reads one sender lambda's references into \p T; false when the sender
/// also receives or checks for `closed`.
bool readSender(const ChannelIndex &I, const LambdaExpr *Lambda,
                const std::vector<const ChannelRef *> &Refs, const Stmt *Start,
                LocalTraffic &T, ASTContext &Ctx) {
  llvm::DenseSet<const Stmt *> Sends;
  const Stmt *Body = userBody(Lambda->getBody());
  for (const ChannelRef *R : Refs) {
    if (R->Use.K == ChannelUse::Drain)
      return false;
    if (R->Use.K != ChannelUse::Operation)
      continue;
    if (R->Use.Op == ChannelOp::Send) {
      // A sender that checks for `closed` stops only if someone closes the
      // channel: it is judged like the others, the close decides.
      T.ProducerIgnoresClosed &= !R->Use.StatusUsed;
      Sends.insert(R->Use.Node);
      if (const auto *SendCall = dyn_cast<CallExpr>(R->Use.Node))
        T.ProducerIgnoresClosed &= !SendCall->getType().isNull() &&
                                   !SendCall->getType()->isVoidType() &&
                                   !SendCall->getType()->isDependentType();
      // A send in a callback handed to a call (`forEachLine(f, [&](auto l)
      // { ch.push(l); })`) runs once per input: an input-driven loop.
      if (!T.ProducerLoop && R->Lambda != Lambda) {
        const LambdaExpr *Cb = R->Lambda;
        while (Cb && I.LambdaParent.lookup(Cb) != Lambda)
          Cb = I.LambdaParent.lookup(Cb);
        if (const CallExpr *Call = Cb ? callTakingCallback(Cb, Ctx) : nullptr)
          T.ProducerLoop = Call;
      }
      if (!T.ProducerLoop)
        T.ProducerLoop = unboundedLoopAround(R->Use.Node, Body, Ctx);
    } else if (R->Use.Op == ChannelOp::Close) {
      T.SenderCloses = true; // a producer closing when done
    } else if (R->Use.Op != ChannelOp::TrySend &&
               R->Use.Op != ChannelOp::Other) {
      return false; // the sender also receives
    }
  }
  CountResult SR = countChannelTraffic(Body, Ctx, [&](const Stmt *S) {
    ChannelEvent E;
    if (Sends.count(S))
      E.K = ChannelEvent::Send;
    return E;
  });
  if (SR.GaveUp) {
    T.Countable = false;
    return true;
  }
  auto &Counts = T.StartCounts[Start];
  Counts.first += SR.minSent();
  Counts.second += 1;
  return true;
}

/// The channel events of the function's own references and of the helpers
/// it calls, for counting.
llvm::DenseMap<const Stmt *, ChannelEvent> directEvents(const LocalTraffic &T) {
  llvm::DenseMap<const Stmt *, ChannelEvent> Ops;
  for (const auto &[Call, E] : T.Helpers)
    if (E.K != ChannelEvent::None)
      Ops[Call] = ChannelEvent{E.K, E.Count};
  for (const ChannelRef *R : T.Direct) {
    if (R->Use.K == ChannelUse::Drain) {
      Ops[R->Use.Node] = ChannelEvent{ChannelEvent::Drain};
      continue;
    }
    if (R->Use.K != ChannelUse::Operation)
      continue;
    switch (R->Use.Op) {
    case ChannelOp::Receive:
      Ops[R->Use.Node] = ChannelEvent{ChannelEvent::Receive};
      break;
    case ChannelOp::TryReceive:
      Ops[R->Use.Node] = ChannelEvent{ChannelEvent::TryReceive};
      break;
    case ChannelOp::Close:
      Ops[R->Use.Node] = ChannelEvent{ChannelEvent::Close};
      break;
    case ChannelOp::Other:
    case ChannelOp::None:
      break;
    default:
      Ops[R->Use.Node] = ChannelEvent{ChannelEvent::Opaque}; // sends of its own
      break;
    }
  }
  return Ops;
}

llvm::DenseSet<const Stmt *> closesOf(const LocalTraffic &T) {
  llvm::DenseSet<const Stmt *> Closes;
  for (const ChannelRef *R : T.Direct)
    if (R->Use.K == ChannelUse::Operation && R->Use.Op == ChannelOp::Close)
      Closes.insert(R->Use.Node);
  for (const auto &[Call, E] : T.Helpers)
    if (E.K == ChannelEvent::Close)
      Closes.insert(Call);
  return Closes;
}

/// Releases on a close of the channel, escapes when it is moved or returned;
/// a call that never returns ends the path with the process.
class CloseModel : public ResourceModel {
public:
  CloseModel(const llvm::DenseSet<const Stmt *> &Closes, const VarDecl *V,
             ParentMap &PM, ASTContext &Ctx)
      : Closes(Closes), V(V), PM(PM), Ctx(Ctx) {}
  Effect effectOf(const Stmt *S) override {
    if (Closes.count(S) || endsProcess(S, Ctx))
      return Releases;
    VarUse U = classifyUse(S, V, PM);
    if (U.K == VarUse::Moved || U.K == VarUse::Returned)
      return Escapes;
    return NoEffect;
  }

private:
  const llvm::DenseSet<const Stmt *> &Closes;
  const VarDecl *V;
  ParentMap &PM;
  ASTContext &Ctx;
};

/// Whether every path from the channel's construction closes it (the
/// lifetime engine, with close as the release).
bool closedOnEveryPath(const LocalTraffic &T, ASTContext &Ctx) {
  const LocalChannel &L = *T.L;
  FunctionCFG *CFG = FunctionCFG::get(L.Scope, L.Body, Ctx);
  const Expr *Init = L.V->getInit();
  if (!CFG || !Init)
    return false;
  const Stmt *Acquire = nullptr;
  for (const Stmt *Cand :
       {static_cast<const Stmt *>(Init),
        static_cast<const Stmt *>(Init->IgnoreImplicit()),
        static_cast<const Stmt *>(CFG->parents().getParent(Init))})
    if (Cand && CFG->locate(Cand)) {
      Acquire = Cand;
      break;
    }
  if (!Acquire)
    return false;
  LifetimeQuery Q;
  Q.Acquire = Acquire;
  Q.Holder = L.V;
  Q.ReportReacquire = false;
  Q.EscapingExceptionsTerminate = exceptionsTerminate(L.Scope, Ctx);
  llvm::DenseSet<const Stmt *> Closes = closesOf(T);
  CloseModel CM(Closes, L.V, CFG->parents(), Ctx);
  return analyzeLifetime(*CFG, Q, CM) == LifetimeResult::Released;
}

/// Whether every variable \p Cond reads is declared inside \p Loop (the
/// value just received, say), not a counter or a bound kept across
/// iterations.
bool readsOnlyLoopLocals(const Expr *Cond, const Stmt *Loop,
                         const SourceManager &SM) {
  SourceRange In = Loop->getSourceRange();
  return forEachStmt(
      Cond,
      [&](const Stmt *S) {
        const auto *DR = dyn_cast<DeclRefExpr>(S);
        const auto *VD = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
        if (!VD)
          return isa<MemberExpr>(S) &&
                         isa<CXXThisExpr>(cast<MemberExpr>(S)
                                              ->getBase()
                                              ->IgnoreParenImpCasts())
                     ? Walk::Stop // a member kept across iterations
                     : Walk::Continue;
        SourceLocation L = VD->getLocation();
        bool Inside = L.isValid() && In.isValid() &&
                      !SM.isBeforeInTranslationUnit(L, In.getBegin()) &&
                      !SM.isBeforeInTranslationUnit(In.getEnd(), L);
        return Inside ? Walk::Continue : Walk::Stop;
      },
      LambdaPolicy::Skip);
}

/// An exit inside a loop of run-time trip count is counted at the loop's
/// first iteration: judge it only when it is taken on what the value just
/// received says (`if (good(r)) return r;`, a reader that stops at the first
/// match), not on a count kept across iterations (`if (++got == n)
/// return;`, a reader that drains every sender) nor a sentinel known only
/// to the sender's protocol.
bool judgeableExit(const CountedExit &E, ASTContext &Ctx) {
  if (!E.InRuntimeLoop)
    return true;
  if (!E.At)
    return false;
  DynTypedNode N = DynTypedNode::create(*E.At);
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(N);
    if (Ps.size() != 1)
      return false;
    const Stmt *P = Ps[0].get<Stmt>();
    if (!P)
      return false;
    if (P == E.InRuntimeLoop)
      return true;
    if (isLoop(P) || isa<SwitchStmt>(P))
      return false;
    const Expr *Cond = nullptr;
    if (const auto *If = dyn_cast<IfStmt>(P))
      Cond = If->getCond();
    else if (const auto *CO = dyn_cast<AbstractConditionalOperator>(P))
      Cond = CO->getCond();
    if (Cond &&
        !readsOnlyLoopLocals(Cond, E.InRuntimeLoop, Ctx.getSourceManager()))
      return false;
    N = Ps[0];
  }
  return false;
}

/// The exit with the most values left blocked, or null. A throw is no exit
/// when \p ThrowsTerminate: nothing can catch it, the process ends.
const CountedExit *worstExit(const CountResult &R, uint64_t Cap,
                             bool ThrowsTerminate) {
  const CountedExit *Worst = nullptr;
  uint64_t WorstSurplus = 0;
  for (const CountedExit &E : R.Exits) {
    if (E.Closed || (E.Throws && ThrowsTerminate) || E.Sent >= InfiniteCount ||
        E.Received >= InfiniteCount || !E.PerIteration.empty() ||
        E.ReceivedRuntime || E.InRuntimeLoop)
      continue; // a value may end the reader's loop: a sentinel, say
    uint64_t Room = E.Received + Cap;
    if (E.Sent > Room && E.Sent - Room > WorstSurplus) {
      WorstSurplus = E.Sent - Room;
      Worst = &E;
    }
  }
  return Worst;
}

/// An exit reached after senders started once per iteration of a loop of
/// run-time trip count (seed 002 over a container of servers) having
/// received a constant number of values: the senders past those received
/// and buffered block. Null if none.
const CountedExit *perIterationExit(const CountResult &R, bool ThrowsTerminate,
                                    ASTContext &Ctx) {
  for (const CountedExit &E : R.Exits)
    if (!E.PerIteration.empty() && !E.Closed && !E.ReceivedRuntime &&
        !(E.Throws && ThrowsTerminate) && E.Received < InfiniteCount &&
        E.Sent < InfiniteCount && judgeableExit(E, Ctx))
      return &E;
  return nullptr;
}

/// What a loop of run-time trip count walks: the container of a range-for
/// (\p Kind 1), or the container whose size() or the variable that bounds
/// `i < bound` (Kind 1 / 2); null (Kind 0) otherwise.
const NamedDecl *loopSubject(const Stmt *Loop, unsigned &Kind) {
  auto Named = [](const Expr *E) -> const NamedDecl * {
    E = E ? E->IgnoreParenImpCasts() : nullptr;
    if (const auto *DR = dyn_cast_or_null<DeclRefExpr>(E))
      return DR->getDecl();
    if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
      return ME->getMemberDecl();
    return nullptr;
  };
  Kind = 0;
  const NamedDecl *D = nullptr;
  if (const auto *RF = dyn_cast<CXXForRangeStmt>(Loop)) {
    D = Named(RF->getRangeInit());
    Kind = D ? 1 : 0;
    return D;
  }
  const auto *F = dyn_cast<ForStmt>(Loop);
  const auto *Cond =
      F ? dyn_cast_or_null<BinaryOperator>(
              F->getCond() ? F->getCond()->IgnoreParenImpCasts() : nullptr)
        : nullptr;
  if (!Cond || (Cond->getOpcode() != BO_LT && Cond->getOpcode() != BO_NE))
    return nullptr;
  const Expr *Bound = Cond->getRHS()->IgnoreParenImpCasts();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Bound)) {
    const auto *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && M->getName() == "size")
      D = Named(MC->getImplicitObjectArgument());
    Kind = D ? 1 : 0;
    return D;
  }
  D = Named(Bound);
  Kind = D ? 2 : 0;
  return D;
}

/// The loop that ends only when the channel is closed, for a receive \p R:
/// a range-for over it, or a loop that receives in its condition
/// (`while (ch.pop(v) == success)`); its exit edge is not a way out.
const Stmt *closeOnlyLoop(const ChannelRef &R, const Stmt *Body,
                          ASTContext &Ctx) {
  const Stmt *From = R.Use.Node;
  if (R.Use.K == ChannelUse::Drain)
    return From;
  const Stmt *Loop = enclosingLoop(From, Ctx, Body, LoopPart::BodyAndCondition);
  if (Loop && enclosingLoop(From, Ctx, Body, LoopPart::Body) != Loop)
    return Loop;
  return nullptr;
}

/// What the references of one group of aliases (a channel and the
/// references and parameters it is passed to) say.
struct GroupFacts {
  const Expr *FirstSend = nullptr;
  const Expr *FirstRead = nullptr, *FirstEscape = nullptr;
  bool Read = false, Escaped = false, BlockingSend = false;
  /// A global or member other translation units may read (not judged unless
  /// the project facts say none does), and the declarations they see.
  bool OthersMayRead = false;
  std::vector<const ValueDecl *> Shared;
  bool PassedOut = false; ///< to a function outside the file
  /// Lambdas (other threads, fibers, tasks) that send to it.
  llvm::SmallPtrSet<const LambdaExpr *, 4> SendingLambdas;
  std::vector<const ValueDecl *> Owners;
  const ValueDecl *UnwaitedFuture = nullptr;
  bool FutureObtained = false;
};

/// Whether \p D owns the channel it names: a variable or field holding it,
/// not a reference or parameter to someone else's. Marks \p G escaped when
/// others may read it.
bool ownsChannel(const ChannelIndex &I, const ValueDecl *D, bool ReportEscaping,
                 const SourceManager &SM, GroupFacts &G) {
  bool Owner = false;
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    if (!isa<ParmVarDecl>(VD) && !VD->getType()->isReferenceType()) {
      bool FileVisible = SM.isInMainFile(VD->getLocation());
      if (VD->hasLocalStorage() ||
          (FileVisible && (!VD->isExternallyVisible() || ReportEscaping)))
        Owner = true;
      else
        G.OthersMayRead = true; // a global others may read
      if (!VD->hasLocalStorage() && VD->isExternallyVisible() &&
          ProjectFacts::visibleToOtherTUs(VD))
        G.Shared.push_back(VD);
    }
  } else if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    if (SM.isInMainFile(FD->getParent()->getLocation()))
      Owner = true;
    else {
      G.OthersMayRead = true; // other translation units may read it
      if (ProjectFacts::visibleToOtherTUs(FD))
        G.Shared.push_back(FD);
    }
  }
  // A pointer or smart pointer owns only a channel it is given new.
  if (Owner && !ChannelModel::isByValue(D->getType()) && !I.Created.count(D)) {
    Owner = false;
    G.Escaped = true; // a handle to a channel made elsewhere
  }
  return Owner;
}

/// Adds what reference \p R of a channel of family \p F says to \p G.
void addRef(const ChannelIndex &I, const ChannelModel &M, ASTContext &Ctx,
            const ChannelFamily &F, const ChannelRef &R, GroupFacts &G) {
  const SourceManager &SM = Ctx.getSourceManager();
  switch (R.Use.K) {
  case ChannelUse::Operation:
    if (R.Use.Op == ChannelOp::Send || R.Use.Op == ChannelOp::TrySend) {
      G.BlockingSend |= R.Use.Op == ChannelOp::Send;
      G.SendingLambdas.insert(R.Lambda);
      if (!G.FirstSend || SM.isBeforeInTranslationUnit(
                              R.Ref->getBeginLoc(), G.FirstSend->getBeginLoc()))
        G.FirstSend = R.Ref;
    } else if (R.Use.Op == ChannelOp::Receive ||
               R.Use.Op == ChannelOp::TryReceive) {
      G.Read = true;
      G.FirstRead = G.FirstRead ? G.FirstRead : R.Ref;
      if (F.Capacity == CapacityKind::Promise)
        G.FutureObtained = true;
    }
    break;
  case ChannelUse::Drain:
    G.Read = true;
    G.FirstRead = G.FirstRead ? G.FirstRead : R.Ref;
    break;
  case ChannelUse::FutureInto: {
    G.FutureObtained = true;
    bool Consumed = false;
    auto FIt = I.FutureRefs.find(R.Use.AliasOf);
    if (FIt != I.FutureRefs.end())
      for (const Expr *FR : FIt->second)
        Consumed = Consumed || M.futureRefConsumes(FR, Ctx);
    if (Consumed) {
      G.Read = true;
      G.FirstRead = G.FirstRead ? G.FirstRead : R.Ref;
    } else if (!G.UnwaitedFuture)
      G.UnwaitedFuture = R.Use.AliasOf;
    break;
  }
  case ChannelUse::FutureDiscarded:
    G.FutureObtained = true;
    break;
  case ChannelUse::Escape:
    G.Escaped = true;
    G.FirstEscape = G.FirstEscape ? G.FirstEscape : R.Ref;
    break;
  case ChannelUse::ExternalEscape:
    G.PassedOut = true;
    G.FirstEscape = G.FirstEscape ? G.FirstEscape : R.Ref;
    if (!M.options().ReportEscapingChannels)
      G.Escaped = true;
    break;
  case ChannelUse::Alias:
    if (!R.Use.AliasOf || !I.Handles.count(R.Use.AliasOf)) {
      G.Escaped = true; // bound to something we do not follow
      G.FirstEscape = G.FirstEscape ? G.FirstEscape : R.Ref;
    }
    break;
  default:
    break;
  }
}

/// Adds \p D to the owners of \p G, once per variable (its extern
/// declaration and its definition are one).
void addOwner(GroupFacts &G, const ValueDecl *D) {
  for (const ValueDecl *O : G.Owners)
    if (O->getCanonicalDecl() == D->getCanonicalDecl())
      return;
  G.Owners.push_back(D);
}

/// A channel other translation units see (G.Shared): exports what this TU
/// does with it and asks the project facts whether another TU receives from
/// it. Another does (or may): not judged (also with ReportEscapingChannels).
/// None does, and the store knows the whole project: judged here, like a
/// channel of this file -- returns true, with the notes for the finding.
bool decideShared(const ChannelIndex &I, ASTContext &Ctx, GroupFacts &G,
                  std::vector<ChannelNote> &Notes) {
  for (const ValueDecl *D : G.Shared)
    exportChannelOps(D, {G.FirstSend, G.FirstRead, G.FirstEscape}, Ctx);
  if (G.Read || G.Escaped || !G.FirstSend)
    return false; // no verdict depends on the answer: not asked
  std::optional<bool> Read = readElsewhere(G.Shared, Ctx, Notes);
  if (!Read)
    return false; // as without the facts
  if (*Read) {
    G.Escaped = true;
    return false;
  }
  // A pointer or smart pointer owns only a channel it is given new here.
  bool Owned = false;
  for (const ValueDecl *D : G.Shared)
    if (ChannelModel::isByValue(D->getType()) || I.Created.count(D)) {
      addOwner(G, D);
      Owned = true;
    }
  G.OthersMayRead = !Owned;
  return Owned;
}

/// A local channel written only by its own function, never read, is a dead
/// store destroyed with the function, not a leak: someone else must send (a
/// lambda run as another thread, fiber or task).
bool sentFromElsewhere(const ChannelIndex &I, const ValueDecl *Owner,
                       const GroupFacts &G) {
  const auto *VD = dyn_cast<VarDecl>(Owner);
  if (!VD || !VD->hasLocalStorage() || G.PassedOut)
    return true;
  const LambdaExpr *Home = nullptr;
  for (const LocalChannel &L : I.Locals)
    if (L.V == VD)
      Home = L.Lambda;
  for (const LambdaExpr *L : G.SendingLambdas)
    if (L != Home)
      return true;
  return false;
}

ChannelFinding neverReadFinding(const ChannelFamily *F, const ValueDecl *Owner,
                                const GroupFacts &G) {
  ChannelFinding Fd;
  Fd.Channel = Owner;
  Fd.Send = G.FirstSend;
  if (F && F->Capacity == CapacityKind::Promise) {
    Fd.Why = NoReader::PromiseNeverRead;
    Fd.FutureObtained = G.FutureObtained;
    Fd.Notes.push_back(ChannelNote::at(ChannelNote::ValueSetHere, G.FirstSend));
    if (G.UnwaitedFuture)
      Fd.Notes.push_back(
          ChannelNote::atDecl(ChannelNote::FutureObtained, G.UnwaitedFuture));
    Fd.Fix = ChannelFix::WaitOnFuture;
    return Fd;
  }
  Fd.Why = NoReader::NeverReceived;
  if (F && F->Capacity == CapacityKind::Unbounded)
    Fd.Outcome = UnreadOutcome::PileUp;
  else if (!G.BlockingSend)
    Fd.Outcome = UnreadOutcome::Unused;
  Fd.Notes.push_back(ChannelNote::at(ChannelNote::SentHere, G.FirstSend));
  Fd.Fix = ChannelFix::ReceiveOrStopSending;
  return Fd;
}

} // namespace

void forEachLoopExit(
    const Stmt *Loop,
    llvm::function_ref<bool(const Stmt *, llvm::ArrayRef<const Expr *>)> Fn) {
  std::vector<const Expr *> Guards;
  bool Stopped = false;
  std::function<void(const Stmt *, bool)> Walk = [&](const Stmt *S,
                                                     bool Nested) {
    if (!S || Stopped || isa<LambdaExpr>(S))
      return;
    if ((isa<BreakStmt>(S) && !Nested) || isa<ReturnStmt>(S) ||
        isa<CXXThrowExpr>(S) || isa<GotoStmt>(S)) {
      Stopped = !Fn(S, Guards);
      return;
    }
    bool Inner = Nested || isLoop(S) || isa<SwitchStmt>(S);
    const auto *If = dyn_cast<IfStmt>(S);
    if (If)
      Guards.push_back(If->getCond());
    for (const Stmt *C : S->children())
      Walk(C, Inner);
    if (If)
      Guards.pop_back();
  };
  Walk(loopBody(Loop), false);
}

const Stmt *producerLoopAround(const Stmt *Send, const Stmt *Body,
                               ASTContext &Ctx) {
  return unboundedLoopAround(Send, Body, Ctx);
}

std::optional<LocalTraffic> localTraffic(const ChannelIndex &I,
                                         const LocalChannel &L,
                                         const ChannelModel &M,
                                         ASTContext &Ctx) {
  auto *HIt = I.Handles.find(L.V);
  if (HIt == I.Handles.end() || !L.Body)
    return std::nullopt;
  const ChannelHandle &H = HIt->second;
  if (H.F->Capacity == CapacityKind::Promise ||
      H.F->Capacity == CapacityKind::Unbounded ||
      L.V->getType()->isReferenceType())
    return std::nullopt;
  LocalTraffic T;
  T.L = &L;
  T.F = H.F;
  // Every use must be visible: in the body itself, or in a sender lambda
  // directly inside it.
  llvm::MapVector<const LambdaExpr *, std::vector<const ChannelRef *>> Senders;
  if (!splitRefs(I, H, L, T, Senders, M, Ctx))
    return std::nullopt;
  for (auto &[Lambda, Refs] : Senders) {
    const Expr *Start = M.senderStart(Lambda, Ctx);
    if (!Start)
      return std::nullopt; // a lambda we do not see started: stay silent
    if (!readSender(I, Lambda, Refs, Start, T, Ctx))
      return std::nullopt;
  }
  return T;
}

std::optional<ChannelFinding>
findFanOut(const LocalTraffic &T, const ChannelModel &M, ASTContext &Ctx) {
  if (T.ReturnedAt || T.ProducerLoop || !T.Countable || T.SenderCloses)
    return std::nullopt;
  const LocalChannel &L = *T.L;
  std::optional<uint64_t> Cap = M.capacityOf(*T.F, L.V->getInit(), Ctx);
  if (!Cap)
    return std::nullopt;
  llvm::DenseMap<const Stmt *, ChannelEvent> Direct = directEvents(T);
  CountResult R = countChannelTraffic(L.Body, Ctx, [&](const Stmt *S) {
    ChannelEvent E;
    if (endsProcess(S, Ctx)) {
      E.K = ChannelEvent::EndsProcess;
      return E;
    }
    auto SIt = T.StartCounts.find(S);
    if (SIt != T.StartCounts.end()) {
      E.K = ChannelEvent::Start;
      E.Count = SIt->second.first;
      E.Senders = SIt->second.second;
      return E;
    }
    auto OIt = Direct.find(S);
    if (OIt != Direct.end())
      E = OIt->second;
    return E;
  });
  bool ThrowsTerminate = exceptionsTerminate(L.Scope, Ctx);
  const CountedExit *Worst =
      R.GaveUp ? nullptr : worstExit(R, *Cap, ThrowsTerminate);
  bool PerIteration = false;
  if (!Worst && !R.GaveUp) {
    Worst = perIterationExit(R, ThrowsTerminate, Ctx);
    PerIteration = Worst != nullptr;
  }
  if (!Worst || closedOnEveryPath(T, Ctx))
    return std::nullopt;
  ChannelFinding Fd;
  Fd.Why = NoReader::ReadsFewer;
  Fd.Channel = L.V;
  Fd.Senders = Worst->Senders;
  Fd.Values = Worst->Sent;
  Fd.Received = Worst->Received;
  Fd.Capacity = *Cap;
  Fd.PerIteration = PerIteration;
  for (const auto &[Start, N] : Worst->Starts)
    Fd.Notes.push_back(ChannelNote::at(ChannelNote::SendersStarted, Start, N));
  for (const auto &[Start, Loop] : Worst->PerIteration) {
    unsigned Kind = 0;
    ChannelNote N =
        ChannelNote::at(ChannelNote::SendersPerIteration, Start, Kind);
    const NamedDecl *Subject = loopSubject(Loop, Kind);
    N.D = Subject;
    N.Count = Kind;
    if (!Fd.PerIterationOf && Kind == 1)
      Fd.PerIterationOf = Subject;
    Fd.Notes.push_back(N);
  }
  ChannelNote Exit = ChannelNote::at(Worst->Throws ? ChannelNote::ThrowsHere
                                                   : ChannelNote::ReturnsHere,
                                     Worst->At, Worst->Received);
  if (!Worst->At) {
    Exit.K = ChannelNote::FunctionEnds;
    if (const auto *CS = dyn_cast<CompoundStmt>(L.Body))
      Exit.Loc = CS->getRBracLoc();
  }
  Fd.Notes.push_back(Exit);
  Fd.Fix = Worst->Throws  ? ChannelFix::CloseBeforeThrowing
           : PerIteration ? ChannelFix::CloseOrBufferPerSender
                          : ChannelFix::CloseBeforeReturning;
  return Fd;
}

std::optional<ChannelFinding> findEndlessProducer(const LocalTraffic &T,
                                                  ASTContext &Ctx) {
  if (!T.ProducerLoop)
    return std::nullopt;
  const LocalChannel &L = *T.L;
  ChannelFinding Fd;
  Fd.Channel = L.V;
  Fd.Send = T.ProducerLoop;
  Fd.Notes.push_back(ChannelNote::at(ChannelNote::EndlessLoop, T.ProducerLoop));
  // Seed 003: the channel is returned to a reader we cannot see, and the
  // producer loops forever ignoring the send status. Nothing the reader can
  // do ends it: it blocks when the reader stops, and spins once it closes.
  if (T.ReturnedAt) {
    if (!T.ProducerIgnoresClosed || !isEndlessByCondition(T.ProducerLoop, Ctx))
      return std::nullopt;
    Fd.Why = NoReader::ProducerUnstoppable;
    Fd.Notes.push_back(
        ChannelNote::at(ChannelNote::ReturnedToReader, T.ReturnedAt));
    Fd.Fix = ChannelFix::StopOnClosedStatus;
    return Fd;
  }
  // From each receive, can the reader reach the end of the channel's scope
  // without closing it?
  FunctionCFG *CFG = FunctionCFG::get(L.Scope, L.Body, Ctx);
  if (!CFG)
    return std::nullopt;
  llvm::DenseSet<const Stmt *> Closes = closesOf(T);
  auto ClosesOrEscapes = [&](const Stmt *S) {
    if (Closes.count(S) || endsProcess(S, Ctx))
      return true; // closed, or the process ends on that path
    VarUse U = classifyUse(S, L.V, CFG->parents());
    return U.K == VarUse::Moved || U.K == VarUse::Returned;
  };
  // The receives: its own, and calls of helpers that receive a counted
  // number of values (a helper that drains returns only once closed).
  llvm::SmallVector<std::pair<const Stmt *, const Stmt *>, 8> Receives;
  for (const ChannelRef *R : T.Direct)
    if (isReceive(R->Use))
      Receives.push_back({R->Use.Node, closeOnlyLoop(*R, L.Body, Ctx)});
  for (const auto &[Call, E] : T.Helpers)
    if (E.K == ChannelEvent::Receive)
      Receives.push_back({Call, nullptr});
  bool ThrowsTerminate = exceptionsTerminate(L.Scope, Ctx);
  for (const auto &[From, NoExitOf] : Receives) {
    const Stmt *Leave = nullptr;
    if (!reachesScopeEndWithout(*CFG, From, L.V, ClosesOrEscapes, NoExitOf,
                                &Leave, ThrowsTerminate))
      continue;
    Fd.Why = NoReader::ReaderStopsEarly;
    Fd.Notes.push_back(
        ChannelNote::at(ChannelNote::ReaderStops, Leave ? Leave : From));
    Fd.Fix = ChannelFix::CloseOnThatPath;
    return Fd;
  }
  return std::nullopt;
}

std::vector<ChannelFinding>
findNeverRead(const ChannelIndex &I, const ChannelModel &M, ASTContext &Ctx,
              const llvm::DenseSet<const ValueDecl *> &Reported) {
  // Aliases (references, parameters the channel is passed to) form groups.
  llvm::EquivalenceClasses<const ValueDecl *> Groups;
  for (auto &[D, H] : I.Handles) {
    Groups.insert(D);
    // `extern Q q;` in a header and `Q q;` here: one channel.
    if (const auto *VD = dyn_cast<VarDecl>(D))
      Groups.unionSets(D, VD->getCanonicalDecl());
    for (const ChannelRef &R : H.Refs)
      if (R.Use.K == ChannelUse::Alias && R.Use.AliasOf &&
          I.Handles.count(R.Use.AliasOf))
        Groups.unionSets(D, R.Use.AliasOf);
  }
  llvm::MapVector<const ValueDecl *, GroupFacts> Facts;
  bool ReportEscaping = M.options().ReportEscapingChannels;
  for (auto &[D, H] : I.Handles) {
    GroupFacts &G = Facts[Groups.getLeaderValue(D)];
    if (ownsChannel(I, D, ReportEscaping, Ctx.getSourceManager(), G))
      addOwner(G, D);
    for (const ChannelRef &R : H.Refs)
      addRef(I, M, Ctx, *H.F, R, G);
  }
  std::vector<ChannelFinding> Out;
  for (auto &[Leader, G] : Facts) {
    std::vector<ChannelNote> ProjectNotes;
    bool AcrossFiles =
        !G.Shared.empty() && decideShared(I, Ctx, G, ProjectNotes);
    if (G.Read || G.Escaped || G.OthersMayRead || !G.FirstSend ||
        G.Owners.size() != 1)
      continue;
    const ValueDecl *Owner = G.Owners.front();
    if (Reported.count(Owner) || !sentFromElsewhere(I, Owner, G))
      continue;
    Out.push_back(neverReadFinding(I.Handles.lookup(Owner).F, Owner, G));
    Out.back().AcrossFiles = AcrossFiles;
    for (ChannelNote &N : ProjectNotes)
      Out.back().Notes.push_back(std::move(N));
  }
  return Out;
}

std::vector<ChannelFinding>
findChannelsWithoutReader(ASTContext &Ctx, const ChannelModel &Base) {
  // In-house classes with the shape of a bounded channel join the model.
  std::vector<ShapeChannel> Shapes = findShapeChannels(Ctx);
  std::optional<ChannelModel> Extended;
  if (!Shapes.empty())
    Extended.emplace(withShapeChannels(Base.options(), Shapes));
  const ChannelModel &M = Extended ? *Extended : Base;
  std::vector<ChannelFinding> Out;
  ChannelIndex I = indexChannels(Ctx, M);
  llvm::DenseSet<const ValueDecl *> Reported;
  for (const LocalChannel &L : I.Locals) {
    std::optional<LocalTraffic> T = localTraffic(I, L, M, Ctx);
    if (!T)
      continue;
    std::optional<ChannelFinding> Fd = T->ReturnedAt || T->ProducerLoop
                                           ? findEndlessProducer(*T, Ctx)
                                           : findFanOut(*T, M, Ctx);
    if (!Fd)
      continue;
    Reported.insert(L.V);
    Out.push_back(std::move(*Fd));
  }
  // Stages blocked downstream block their upstream: a chain, stage by stage.
  for (std::vector<ChannelFinding> Up =
           findBlockedUpstream(I, M, Ctx, Reported);
       !Up.empty(); Up = findBlockedUpstream(I, M, Ctx, Reported))
    for (ChannelFinding &Fd : Up) {
      Reported.insert(Fd.Channel);
      Out.push_back(std::move(Fd));
    }
  for (ChannelFinding &Fd : findStoppedConsumers(I, Ctx, Reported)) {
    Reported.insert(Fd.Channel);
    Out.push_back(std::move(Fd));
  }
  for (ChannelFinding &Fd : findNeverRead(I, M, Ctx, Reported))
    Out.push_back(std::move(Fd));
  return Out;
}

} // namespace leaklib
} // namespace clang
