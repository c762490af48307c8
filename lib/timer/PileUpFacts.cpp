//===--- PileUpFacts.cpp - leak-tidy --------------------------------------===//
#include "lib/timer/PileUpFacts.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/LifetimeEngine.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/VarUses.h"
#include "lib/timer/HandleUses.h"
#include "lib/timer/HolderFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

PileUpOptions PileUpOptions::from(const TimerOptions &O) {
  PileUpOptions P;
  P.MinDelaySeconds = O.MinDelayMs / 1000.0;
  P.MaxConstantTripCount = O.MaxConstantTripCount;
  return P;
}

//===-- Creations ---------------------------------------------------------===//

/// `make_timer()`: a helper of this TU that returns a fresh timer
/// (FunctionSummaries::returnsFresh) -- a heap Asio or configured timer, a
/// libevent timer event or a timerfd: the caller holds it and is judged
/// like a creation. QTimers (their parent is the helper's business) and
/// GLib ids (their callback is not at the call) are left out.
const Expr *freshTimerOf(const CallExpr *CE, const TimerModel &Model,
                         TimerFramework *Framework) {
  return freshTimerIn(CE ? CE->getDirectCallee() : nullptr, Model, Framework);
}

const Expr *freshTimerIn(const FunctionDecl *FD, const TimerModel &Model,
                         TimerFramework *Framework) {
  TimerFramework Inner = TimerFramework::User;
  const Expr *Fresh = returnedCreation(FD, [&](const Expr *E) {
    TimerFramework F = TimerFramework::User;
    if (!isTimerCreation(E, Model, &F) || F == TimerFramework::Qt ||
        F == TimerFramework::GLib || F == TimerFramework::LibUv ||
        F == TimerFramework::Posix)
      return false;
    Inner = F;
    return true;
  });
  if (Fresh && Framework)
    *Framework = Inner;
  return Fresh;
}

bool isTimerCreation(const Expr *E, const TimerModel &Model,
                     TimerFramework *Framework) {
  if (!E)
    return false;
  if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
    const CXXRecordDecl *RD = Model.timerClassOf(New->getAllocatedType());
    if (RD && Framework)
      *Framework = Model.classFramework(RD);
    return RD != nullptr;
  }
  const auto *CE = dyn_cast<CallExpr>(E);
  if (!CE)
    return false;
  llvm::StringRef N = calleeName(CE);
  if (N == "make_shared" || N == "make_unique" || N == "allocate_shared") {
    const CXXRecordDecl *RD = Model.timerClassOf(CE->getType());
    if (RD && Framework)
      *Framework = Model.classFramework(RD);
    return RD != nullptr;
  }
  TimerCall TC = Model.classify(CE);
  if (!TC)
    return freshTimerOf(CE, Model, Framework) ||
           freshTimerElsewhere(CE, Model, Framework);
  if (TC.Role != TimerRole::Create && TC.Role != TimerRole::CreateAndArm)
    return false;
  if (N == "event_assign")
    return false; // initialises caller-owned storage: nothing allocated
  if (N == "event_new") {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !TimerModel::isTimerEvent(CE, FD->getASTContext()))
      return false; // an event on a socket or a signal: not a timer
  }
  if (Framework)
    *Framework = TC.Framework;
  return true;
}

std::vector<const Expr *> timerCreations(const Stmt *Scope,
                                         const TimerModel &Model) {
  std::vector<const Expr *> Out;
  forEachOwnStmt(Scope, [&](const Stmt *S) {
    if (const auto *E = dyn_cast<Expr>(S))
      if (isTimerCreation(E, Model))
        Out.push_back(E);
  });
  return Out;
}

//===-- One creation ------------------------------------------------------===//

namespace {
/// What findPileUp learns about one creation, step by step.
struct Site {
  Site(const Expr *Creation, const Stmt *Scope, const Stmt *Loop,
       const Stmt *Function, ASTContext &Ctx, const TimerModel &Model,
       const PileUpOptions &Opts)
      : Creation(Creation), Scope(Scope), Loop(Loop), Function(Function),
        Ctx(Ctx), Model(Model), Opts(Opts) {}
  const Expr *Creation;
  const Stmt *Scope, *Loop, *Function;
  ASTContext &Ctx;
  const TimerModel &Model;
  const PileUpOptions &Opts;
  FunctionCFG *CFG = nullptr;
  const CallExpr *CE = nullptr;
  TimerCall TC;
  bool IsCApi = false; ///< a create call of a C API (or singleShot, g_timeout)
  HolderOf H;
  HolderUses U;
  PileUp P;
};
} // namespace

/// `uv_timer_init(loop, &local)`: a stack handle of this iteration (a
/// dangling-handle bug, not a pile-up).
static bool isUvStackHandle(const TimerCall &TC) {
  if (TC.Framework != TimerFramework::LibUv)
    return false;
  const auto *UO = dyn_cast<UnaryOperator>(TC.Handle->IgnoreParenCasts());
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return false;
  const auto *DRE =
      dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->isLocalVarDecl() && !VD->isStaticLocal();
}

/// Finds who holds the new timer (S.H, S.U) and whether it goes into a
/// container. False: not ours (a stack handle, handed to unknown code).
static bool resolveHolder(Site &S) {
  if (S.IsCApi && S.TC.Handle) {
    if (isUvStackHandle(S.TC))
      return false;
    S.H.Holder = handleKey(S.TC.Handle);
    // &timers[i]: stored into an array.
    const Expr *E =
        ignoreTransparent(S.TC.Handle, PeelExplicitCasts | PeelAddressOf);
    if (isa<ArraySubscriptExpr>(E)) {
      S.P.Why = PileUp::StoredInContainer;
      S.P.Container = S.H.Holder;
    }
  } else {
    S.H = holderOf(S.Creation, S.Ctx);
  }
  if (const CallExpr *To = S.H.PassedTo) {
    if (!isContainerInsert(To))
      return false; // handed to code we do not model
    S.P.Why = PileUp::StoredInContainer;
    S.P.Container =
        handleKey(cast<CXXMemberCallExpr>(To)->getImplicitObjectArgument());
    S.P.Evidence = To;
  }
  if (!S.H.Holder || S.P.Why == PileUp::StoredInContainer)
    return true;
  // Members, globals, statics, parameters: the timer is stored for later;
  // whether it piles up depends on code we cannot order.
  const auto *VD = dyn_cast<VarDecl>(S.H.Holder);
  if (!VD || !VD->isLocalVarDecl() || VD->isStaticLocal())
    return false;
  S.U = scanHolder(S.H.Holder, S.Scope, S.Creation, S.Model, S.Ctx);
  if (S.U.ContainerInsert) {
    S.P.Why = PileUp::StoredInContainer;
    S.P.Container = S.U.Container;
    S.P.Evidence = S.U.ContainerInsert;
  }
  return true;
}

/// A timer stored in a container piles up when the container outlives the
/// loop and nothing cleans it up.
static std::optional<PileUp> containerPileUp(const Site &S) {
  const ValueDecl *C = S.P.Container;
  if (!C || declaredInside(C, S.Scope, S.Ctx))
    return std::nullopt; // the container dies with the iteration
  if (!S.Loop)
    return std::nullopt; // a helper storing it: handed to its caller
  if (mentionedAfter(C, S.Function, S.Loop->getEndLoc(), S.Ctx))
    return std::nullopt; // cleaned up after the loop (assumed)
  if (const auto *FD = dyn_cast<FieldDecl>(C))
    if (memberContainerCleaned(FD))
      return std::nullopt;
  if (const auto *VD = dyn_cast<VarDecl>(C))
    if (!VD->isLocalVarDecl() || VD->isStaticLocal())
      return std::nullopt; // a global or caller's container: not ours
  // Every element released and the container cleared on every path to the
  // loop: one batch lives at a time, not one per call.
  if (S.CFG && releasedBeforeRefill(S.Creation, C, *S.CFG, S.Model))
    return std::nullopt;
  return S.P;
}

static bool shorterThanMin(const std::optional<double> &D,
                           const PileUpOptions &Opts) {
  return D && *D < Opts.MinDelaySeconds;
}

/// A heap timer (Asio, a configured class): piles up only when its own
/// handler keeps it alive.
static bool heapTimerReason(Site &S) {
  if (!S.U.OwnHandlerWait)
    return false;
  S.P.Why = PileUp::CapturedByHandler;
  S.P.Evidence = S.U.OwnHandlerWait;
  S.P.Holder = S.H.Holder;
  S.P.Duration = S.U.Expiry;
  if (!S.P.Duration) {
    const CXXConstructExpr *Ctor = nullptr;
    if (const auto *New = dyn_cast<CXXNewExpr>(S.Creation))
      Ctor = New->getConstructExpr();
    // make_shared<steady_timer>(io, 5s); not a helper's own arguments.
    llvm::StringRef N = S.CE ? calleeName(S.CE) : "";
    if (S.CE && S.CE->getNumArgs() >= 2 &&
        (N == "make_shared" || N == "make_unique" || N == "allocate_shared"))
      S.P.Duration = TimerModel::chronoSeconds(S.CE->getArg(1), S.Ctx);
    if (Ctor && Ctor->getNumArgs() >= 2)
      S.P.Duration = TimerModel::chronoSeconds(Ctor->getArg(1), S.Ctx);
  }
  return !shorterThanMin(S.P.Duration, S.Opts);
}

/// A C handle never deleted/closed/freed in the scope; or, when a callback
/// closes/frees its own timer (uv_close in the timer callback, event_free
/// of the callback argument), one that lives until it fires.
static bool cHandleReason(Site &S) {
  if (!S.H.Holder && !S.H.Discarded)
    return false;
  S.P.Why = PileUp::NeverReleased;
  S.P.Holder = S.H.Holder;
  const FunctionDecl *Cb = TimerModel::callbackOf(S.CE);
  std::optional<double> Delay;
  if (S.H.Holder)
    forEachOwnStmt(S.Scope, [&](const Stmt *St) {
      const auto *Arm = dyn_cast<CallExpr>(St);
      if (!Arm)
        return;
      TimerCall ATC = S.Model.classify(Arm);
      if (ATC.Role != TimerRole::Arm || !ATC.Handle ||
          handleKey(ATC.Handle) != S.H.Holder)
        return;
      if (const FunctionDecl *F = TimerModel::callbackOf(Arm))
        Cb = F;
      Delay = TimerModel::constantDelay(Arm, ATC, S.Ctx);
    });
  TimerFramework FW = S.P.Framework;
  if (Cb && S.Model.callbackStopsTimers(Cb, FW) &&
      (FW == TimerFramework::LibUv || FW == TimerFramework::LibEvent)) {
    if (shorterThanMin(Delay, S.Opts))
      return false;
    S.P.Why = PileUp::PendingUntilFired;
    S.P.Duration = Delay;
  }
  return true;
}

/// Why the timer outlives the scope, per framework. False: it does not.
/// Sets \p Done when the answer needs no path search.
static bool frameworkReason(Site &S, bool &Done) {
  TimerFramework FW = S.P.Framework;
  Done = false;
  if (const auto *New = dyn_cast<CXXNewExpr>(S.Creation);
      New && FW == TimerFramework::Qt) {
    const CXXConstructExpr *Ctor = New->getConstructExpr();
    bool Parented = Ctor && Ctor->getNumArgs() >= 1 &&
                    !isNullOrAbsent(Ctor->getArg(0), S.Ctx);
    if (!Parented && !S.H.Holder)
      return false; // `new QTimer;` dropped: a plain memory leak
    S.P.Why = Parented ? PileUp::ParentOwned : PileUp::NeverReleased;
    S.P.Holder = S.H.Holder;
    return true;
  }
  if (FW == TimerFramework::Asio || (FW == TimerFramework::User && !S.IsCApi)) {
    Done = true;
    return heapTimerReason(S);
  }
  if (S.TC.ReturnsId && FW != TimerFramework::GLib) {
    // startTimer / a configured queue's schedule: the id is the handle; a
    // one-shot lives until it fires, a periodic one until cancelled.
    if (!cHandleReason(S))
      return false;
    S.P.Duration = TimerModel::constantDelay(S.CE, S.TC, S.Ctx);
    if (!S.TC.PeriodicId) {
      if (shorterThanMin(S.P.Duration, S.Opts))
        return false;
      S.P.Why = PileUp::PendingUntilFired;
    }
    return true;
  }
  if (FW != TimerFramework::GLib)
    return cHandleReason(S);
  S.P.Holder = S.H.Holder;
  S.P.Duration = TimerModel::constantDelay(S.CE, S.TC, S.Ctx);
  if (TimerModel::glibCallbackNeverRemoves(TimerModel::callbackOf(S.CE))) {
    S.P.Why = PileUp::NeverRemoved;
  } else {
    if (shorterThanMin(S.P.Duration, S.Opts))
      return false;
    S.P.Why = PileUp::PendingUntilFired;
  }
  Done = !S.H.Holder;
  return true;
}

/// Asks the lifetime engine whether some path reaches the end of the local
/// holder's scope still holding the timer (a conditional delete, a
/// `continue` past it). The branch on the creation's own failure holds
/// nothing; a local owner whose destructor releases the timer ends the path
/// (HolderModel).
static bool engineFindsLeak(const Site &S, FunctionCFG &CFG) {
  LifetimeQuery Q;
  Q.Acquire = S.Creation;
  Q.Holder = cast<VarDecl>(S.H.Holder);
  Q.ReportReacquire = true;
  Q.MaxVisits = 50000;
  Q.Failure = creationFailure(S.Creation, S.Model);
  HolderModel M(S.H.Holder, S.Creation, S.Model, CFG.parents());
  return analyzeLifetime(CFG, Q, M).leaked();
}

std::optional<PileUp> findPileUp(const Expr *Creation, const Stmt *Scope,
                                 const Stmt *Loop, const Stmt *Function,
                                 FunctionCFG *CFG, const TimerModel &Model,
                                 ASTContext &Ctx, const PileUpOptions &Opts) {
  Site S(Creation, Scope, Loop, Function, Ctx, Model, Opts);
  S.CFG = CFG;
  if (!isTimerCreation(Creation, Model, &S.P.Framework))
    return std::nullopt;
  S.P.Creation = Creation;
  S.P.Evidence = Creation;
  S.CE = dyn_cast<CallExpr>(Creation);
  S.TC = S.CE ? Model.classify(S.CE) : TimerCall();
  S.IsCApi = S.CE && (S.TC.Role == TimerRole::Create ||
                      S.TC.Role == TimerRole::CreateAndArm);
  if (S.CE && !S.TC)
    S.P.MadeInHelper = freshTimerOf(S.CE, Model);

  // QTimer::singleShot: lives until it fires.
  if (S.IsCApi && S.TC.Framework == TimerFramework::Qt) {
    auto D = TimerModel::constantDelay(S.CE, S.TC, Ctx);
    if (shorterThanMin(D, Opts) || !D)
      return std::nullopt;
    S.P.Why = PileUp::PendingUntilFired;
    S.P.Duration = D;
    return S.P;
  }
  if (!resolveHolder(S))
    return std::nullopt;
  if (S.P.Why == PileUp::StoredInContainer)
    return containerPileUp(S);

  // A holder declared inside the scope is judged path by path by the
  // lifetime engine; elsewhere any release in the scope counts.
  bool EngineDecides = S.H.Holder && CFG &&
                       declaredInside(S.H.Holder, Scope, Ctx) &&
                       CFG->locate(Creation);
  if (S.H.Holder && (S.U.Escaped || (S.U.Released && !EngineDecides)))
    return std::nullopt;
  bool Done = false;
  if (!frameworkReason(S, Done))
    return std::nullopt;
  if (!Done && EngineDecides && !engineFindsLeak(S, *CFG))
    return std::nullopt;
  return S.P;
}

//===-- Loops of a function -----------------------------------------------===//

/// A one-shot timer that frees itself when it fires, set once per element of
/// a range-for over a container (`for (auto &s : sessions) closeLater(s);`)
/// that no other loop repeats (callers check that): at most one per element,
/// each until it fires -- a deferred action per element, not the Go leak
/// (timers made at the rate of a loop that runs on and on). Not reported: we
/// cannot tell the two apart, and a deferred clean-up per element is common
/// (see docs, Limits). Timers that never die (parented, never released) are
/// reported in any loop.
static bool oncePerElement(const PileUp &P, const Stmt *Loop, ASTContext &Ctx) {
  // A constant number of elements is MaxConstantTripCount's business.
  if (!isa<CXXForRangeStmt>(Loop) || constantTripCount(Loop, Ctx))
    return false;
  return P.Why == PileUp::CapturedByHandler ||
         P.Why == PileUp::PendingUntilFired;
}

/// `conn.onBatch([&](const std::vector<Msg> &msgs) { for (auto &m : msgs)
/// ... })`: a range-for over a parameter of a lambda -- a batch handed to a
/// callback, which runs again on every event. Its elements are not a fixed
/// set, so the once-per-element exemption does not hold.
static bool overHandlerArgument(const Stmt *Loop, const FunctionDecl *Owner) {
  const auto *R = dyn_cast<CXXForRangeStmt>(Loop);
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Owner);
  if (!R || !MD || !MD->getParent()->isLambda() || !R->getRangeInit())
    return false;
  return anyStmt(
      R->getRangeInit(),
      [&](const Stmt *S) {
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        const auto *PV = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
        return PV && PV->getDeclContext() == MD;
      },
      LambdaPolicy::Skip);
}

const std::optional<PileUp> &PileUpFacts::helperPileUp(const FunctionDecl *FD,
                                                       ASTContext &Ctx) {
  auto It = Helpers.find(FD);
  if (It != Helpers.end())
    return It->second;
  std::optional<PileUp> Result;
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) && Def->getBody() &&
      !Ctx.getSourceManager().isInSystemHeader(Def->getLocation()) &&
      !Def->isDependentContext()) {
    std::vector<const Expr *> Creations = timerCreations(Def->getBody(), Model);
    FunctionCFG *CFG = Creations.empty()
                           ? nullptr
                           : FunctionCFG::get(Def, Def->getBody(), Ctx);
    for (const Expr *C : Creations) {
      // Creations inside the helper's own loops are its own business.
      Result = findPileUp(C, Def->getBody(), /*Loop=*/nullptr, Def->getBody(),
                          CFG, Model, Ctx, Opts);
      if (Result)
        break;
    }
  }
  return Helpers[FD] = Result;
}

namespace {
/// The loops that re-run a statement: the innermost one without a small
/// constant trip count, and how many such loops enclose it.
struct RerunningLoops {
  const Stmt *Innermost = nullptr;
  unsigned Unbounded = 0;
};
} // namespace

static RerunningLoops rerunningLoops(const Stmt *S, const Stmt *Body,
                                     unsigned MaxTrips, ASTContext &Ctx) {
  RerunningLoops R;
  const Stmt *Cur = S;
  while (const Stmt *L =
             enclosingLoop(Cur, Ctx, Body, LoopPart::BodyAndCondition)) {
    bool InBody = enclosingLoop(Cur, Ctx, Body, LoopPart::Body) == L;
    Cur = L;
    if (!InBody)
      continue;
    std::optional<uint64_t> N = constantTripCount(L, Ctx);
    if (N && *N <= MaxTrips)
      continue;
    if (!R.Innermost)
      R.Innermost = L;
    ++R.Unbounded;
  }
  return R;
}

std::vector<LoopPileUp> PileUpFacts::inFunction(const FunctionDecl *FD,
                                                ASTContext &Ctx) {
  std::vector<LoopPileUp> Out;
  if (!FD || !FD->getBody() || FD->isDependentContext() ||
      !anyStmt(FD->getBody(), isLoop, LambdaPolicy::Enter))
    return Out;
  const FunctionDecl *Self = FD->getCanonicalDecl();
  forEachBodyStmt(FD, [&](const FunctionDecl *Owner, const Stmt *Body,
                          const Stmt *S) {
    const auto *E = dyn_cast<Expr>(S);
    const auto *CE = dyn_cast<CallExpr>(S);
    const FunctionDecl *Helper = nullptr;
    bool Creation = E && isTimerCreation(E, Model);
    if (!Creation && CE && CE->getDirectCallee() &&
        CE->getDirectCallee()->hasBody() && !Model.classify(CE) &&
        CE->getDirectCallee()->getCanonicalDecl() != Self)
      Helper = CE->getDirectCallee();
    if (!Creation && !Helper)
      return;
    RerunningLoops R = rerunningLoops(S, Body, Opts.MaxConstantTripCount, Ctx);
    if (!R.Innermost)
      return;
    std::optional<PileUp> P;
    if (Creation)
      P = findPileUp(E, loopBody(R.Innermost), R.Innermost, Body,
                     FunctionCFG::get(Owner, Body, Ctx), Model, Ctx, Opts);
    else
      P = helperPileUp(Helper, Ctx);
    if (P && (R.Unbounded > 1 || overHandlerArgument(R.Innermost, Owner) ||
              !oncePerElement(*P, R.Innermost, Ctx)))
      Out.push_back({*P, R.Innermost, Helper ? CE : nullptr, Helper});
  });
  return Out;
}

} // namespace leaklib
} // namespace clang
