//===--- TimerInLoopCheck.cpp - leak-tidy
//----------------------------------===//
#include "checks/TimerInLoopCheck.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace clang::tidy::leak {

static TimerModelOptions modelOptions(std::vector<std::string> Types,
                                      std::vector<std::string> Create,
                                      std::vector<std::string> Stop) {
  TimerModelOptions O;
  O.TimerTypes = std::move(Types);
  O.CreateFunctions = std::move(Create);
  O.StopFunctions = std::move(Stop);
  return O;
}

TimerInLoopCheck::TimerInLoopCheck(StringRef Name, ClangTidyContext *Context)
    : LeakCheck(Name, Context), MaxConstantTripCount(unsignedOption(
                                    "MaxConstantTripCount", 16, 0, 1000000)),
      MinDelayMs(unsignedOption("MinDelayMs", 1000, 0, 86400000)),
      IgnoreParentedQTimer(boolOption("IgnoreParentedQTimer", false)),
      Model(modelOptions(nameListOption("TimerTypes", ""),
                         nameListOption("TimerCreateFunctions", ""),
                         nameListOption("TimerStopFunctions", ""))) {}

void TimerInLoopCheck::onStartOfTranslationUnit() {
  CFGs.clear();
  CFGFailed.clear();
  Helpers.clear();
  Reported.clear();
}

void TimerInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // Every function body outside system headers; the cheap gate (a timer
  // creation or a call somewhere inside a loop) runs in check().
  auto UserCode = unless(isExpansionInSystemHeader());
  Finder->addMatcher(
      functionDecl(isDefinition(), UserCode, unless(isImplicit()),
                   unless(cxxMethodDecl(ofClass(cxxRecordDecl(isLambda())))),
                   hasBody(compoundStmt()))
          .bind("fn"),
      this);
}

FunctionCFG *TimerInLoopCheck::cfgFor(const Decl *D, const Stmt *Body,
                                      ASTContext &Ctx) {
  auto It = CFGs.find(D);
  if (It != CFGs.end())
    return It->second.get();
  if (CFGFailed.count(D))
    return nullptr;
  std::unique_ptr<FunctionCFG> F = FunctionCFG::build(D, Body, Ctx);
  if (!F) {
    CFGFailed.insert(D);
    return nullptr;
  }
  return (CFGs[D] = std::move(F)).get();
}

/// A helper defined in this TU whose body creates a timer that outlives
/// the call (one level deep: the helper's own calls are not followed).
const std::optional<PileUp> &
TimerInLoopCheck::helperPileUp(const FunctionDecl *FD, ASTContext &Ctx) {
  auto It = Helpers.find(FD);
  if (It != Helpers.end())
    return It->second;
  std::optional<PileUp> Result;
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) && Def->getBody() &&
      !Ctx.getSourceManager().isInSystemHeader(Def->getLocation()) &&
      !Def->isDependentContext()) {
    std::vector<const Expr *> Creations = timerCreations(Def->getBody(), Model);
    if (!Creations.empty()) {
      FunctionCFG *CFG = cfgFor(Def, Def->getBody(), Ctx);
      PileUpOptions Opts;
      Opts.MinDelaySeconds = MinDelayMs / 1000.0;
      for (const Expr *C : Creations) {
        // Creations inside the helper's own loops are its own business.
        Result = findPileUp(C, Def->getBody(), /*Loop=*/nullptr, Def->getBody(),
                            CFG, Model, Ctx, Opts);
        if (Result)
          break;
      }
    }
  }
  return Helpers[FD] = Result;
}

namespace {
/// One statement of the walk over a function body, with the stack of loops
/// whose body it is in (lambdas start a fresh stack: they run later).
struct WalkItem {
  const Stmt *S;
  std::vector<const Stmt *> Loops;
  const Stmt *Function; // the body of the innermost function or lambda
};
} // namespace

void TimerInLoopCheck::scanBody(const Decl *D, const Stmt *Body,
                                ASTContext &Ctx) {
  PileUpOptions Opts;
  Opts.MinDelaySeconds = MinDelayMs / 1000.0;
  llvm::SmallVector<WalkItem, 64> Work;
  Work.push_back({Body, {}, Body});
  // The CFG owner of each function body (the FunctionDecl or the lambda's
  // call operator).
  llvm::DenseMap<const Stmt *, const Decl *> Owners;
  Owners[Body] = D;
  unsigned Visited = 0;
  while (!Work.empty()) {
    WalkItem It = Work.pop_back_val();
    if (!It.S || ++Visited > 200000)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(It.S)) {
      if (L->getBody()) {
        Owners[L->getBody()] = L->getCallOperator();
        Work.push_back({L->getBody(), {}, L->getBody()});
      }
      continue;
    }
    if (!It.Loops.empty()) {
      const auto *E = dyn_cast<Expr>(It.S);
      const FunctionDecl *Helper = nullptr;
      const CallExpr *HelperCall = nullptr;
      bool Creation = E && isTimerCreation(E, Model);
      if (!Creation)
        if (const auto *CE = dyn_cast<CallExpr>(It.S))
          if (const FunctionDecl *FD = CE->getDirectCallee())
            if (FD->hasBody() && !Model.classify(CE) &&
                FD->getCanonicalDecl() !=
                    cast<FunctionDecl>(D)->getCanonicalDecl()) {
              Helper = FD;
              HelperCall = CE;
            }
      if (Creation || Helper) {
        // The innermost enclosing loop without a small constant trip count.
        const Stmt *Loop = nullptr;
        unsigned Unbounded = 0; // enclosing loops without a small count
        for (auto R = It.Loops.rbegin(); R != It.Loops.rend(); ++R) {
          std::optional<uint64_t> N = constantTripCount(*R, Ctx);
          if (N && *N <= MaxConstantTripCount)
            continue;
          if (!Loop)
            Loop = *R;
          ++Unbounded;
        }
        if (Loop && Creation) {
          const Decl *Owner = Owners.lookup(It.Function);
          FunctionCFG *CFG = Owner ? cfgFor(Owner, It.Function, Ctx) : nullptr;
          if (auto P = findPileUp(E, loopBody(Loop), Loop, It.Function, CFG,
                                  Model, Ctx, Opts))
            if (Unbounded > 1 || !oncePerElement(*P, Loop, Ctx))
              report(*P, Loop, nullptr, nullptr);
        } else if (Loop && Helper) {
          const std::optional<PileUp> &P = helperPileUp(Helper, Ctx);
          if (P && (Unbounded > 1 || !oncePerElement(*P, Loop, Ctx)))
            report(*P, Loop, HelperCall, Helper);
        }
      }
    }
    std::vector<const Stmt *> Inner = It.Loops;
    if (isLoop(It.S)) {
      const Stmt *LB = loopBody(It.S);
      for (const Stmt *C : It.S->children()) {
        if (C == LB) {
          std::vector<const Stmt *> WithLoop = It.Loops;
          WithLoop.push_back(It.S);
          Work.push_back({C, std::move(WithLoop), It.Function});
        } else {
          Work.push_back({C, It.Loops, It.Function});
        }
      }
      continue;
    }
    for (const Stmt *C : It.S->children())
      Work.push_back({C, It.Loops, It.Function});
  }
}

/// A one-shot timer that frees itself when it fires, set once per element of
/// a range-for over a container (`for (auto &s : sessions) closeLater(s);`)
/// that no other loop repeats (callers check that):
/// at most one per element, each until it fires -- a deferred action per
/// element, not the Go leak (timers made at the rate of a loop that runs on
/// and on). Not reported: we cannot tell the two apart, and a deferred
/// clean-up per element is common (see docs, Limits). Timers that never die
/// (parented, never released) are reported in any loop.
bool TimerInLoopCheck::oncePerElement(const PileUp &P, const Stmt *Loop,
                                      ASTContext &Ctx) {
  // A constant number of elements is MaxConstantTripCount's business.
  if (!isa<CXXForRangeStmt>(Loop) || constantTripCount(Loop, Ctx))
    return false;
  return P.Why == PileUp::CapturedByHandler ||
         P.Why == PileUp::PendingUntilFired;
}

void TimerInLoopCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return;
  ASTContext &Ctx = *Result.Context;
  SMgr = &Ctx.getSourceManager();
  // Cheap gate: a loop somewhere in the body.
  bool HasLoop = false;
  llvm::SmallVector<const Stmt *, 64> Work{FD->getBody()};
  while (!Work.empty() && !HasLoop) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (isLoop(S))
      HasLoop = true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  if (!HasLoop)
    return;
  scanBody(FD, FD->getBody(), Ctx);
}

static std::string fixFor(TimerFramework F) {
  switch (F) {
  case TimerFramework::Asio:
    return "create the timer once before the loop and re-arm it inside with "
           "expires_after() and async_wait()";
  case TimerFramework::Qt:
    return "create one QTimer before the loop and start() it again inside, "
           "or delete the timer in the same iteration";
  case TimerFramework::Posix:
    return "create the timer once before the loop and re-arm it inside with "
           "timer_settime(), or timer_delete() it in the same iteration";
  case TimerFramework::TimerFd:
    return "create the timerfd once before the loop and re-arm it inside with "
           "timerfd_settime(), or close() it in the same iteration";
  case TimerFramework::LibUv:
    return "initialise one uv_timer_t before the loop and uv_timer_start() it "
           "again inside, or uv_close() it in the same iteration";
  case TimerFramework::GLib:
    return "keep one source and g_source_remove() the previous id before "
           "adding a new one";
  case TimerFramework::LibEvent:
    return "create the event once before the loop and event_add() it again "
           "inside, or event_free() it in the same iteration";
  case TimerFramework::User:
    break;
  }
  return "create the timer once before the loop and re-arm it inside";
}

static std::string reasonText(const PileUp &P) {
  std::string Each;
  if (P.Duration)
    Each = ", each living " + describeDuration(*P.Duration);
  switch (P.Why) {
  case PileUp::CapturedByHandler:
    return "its own wait handler keeps it alive, so one timer piles up per "
           "iteration" +
           (P.Duration ? Each : std::string(", each until it fires"));
  case PileUp::StoredInContainer:
    return "it is stored in a container that is never cleaned up, so one "
           "timer piles up per iteration";
  case PileUp::ParentOwned:
    return "it lives until its parent is destroyed, so one QTimer piles up "
           "per iteration";
  case PileUp::NeverReleased:
    return "it is never released, so one timer piles up per iteration and "
           "none is ever freed";
  case PileUp::PendingUntilFired:
    return "one pending timer piles up per iteration" +
           (P.Duration ? Each + " until it fires"
                       : std::string(", each until it fires"));
  case PileUp::NeverRemoved:
    return "its callback never returns FALSE, so one source piles up per "
           "iteration and none is ever removed";
  }
  return "one timer piles up per iteration";
}

void TimerInLoopCheck::report(const PileUp &P, const Stmt *Loop,
                              const CallExpr *HelperCall,
                              const FunctionDecl *Helper) {
  const SourceManager &SM = *SMgr;
  auto At = [&](const Stmt *S) { return SM.getExpansionLoc(S->getBeginLoc()); };
  if (IgnoreParentedQTimer && P.Why == PileUp::ParentOwned)
    return;
  SourceLocation Where = HelperCall ? At(HelperCall) : At(P.Creation);
  if (Where.isInvalid() || !Reported.insert(Where.getRawEncoding()).second)
    return;
  if (HelperCall) {
    std::string Kind = timerKindName(P.Framework);
    Kind = (StringRef("AEIOUaeiou").contains(Kind[0]) ? "an " : "a ") + Kind;
    diag(Where, "call to %0 creates %1 on every iteration of this loop that "
                "outlives the call: %2")
        << Helper << Kind << reasonText(P);
    diag(At(P.Creation), "%0 created here", DiagnosticIDs::Note)
        << timerKindName(P.Framework);
  } else {
    diag(Where, "%0 created on every iteration of this loop outlives the "
                "iteration: %1")
        << timerKindName(P.Framework) << reasonText(P);
  }
  if (P.Evidence && P.Evidence != P.Creation) {
    if (P.Why == PileUp::CapturedByHandler)
      diag(At(P.Evidence),
           "the handler capturing the timer is "
           "installed here",
           DiagnosticIDs::Note);
    else if (P.Why == PileUp::StoredInContainer)
      diag(At(P.Evidence), "stored here", DiagnosticIDs::Note);
  }
  diag(At(Loop), "%0", DiagnosticIDs::Note)
      << ("the loop has no small constant trip count; " + fixFor(P.Framework));
}

} // namespace clang::tidy::leak
