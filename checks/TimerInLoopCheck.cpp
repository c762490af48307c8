//===--- TimerInLoopCheck.cpp - leak-tidy ---------------------------------===//
//
// Match every function body outside system headers -> ask
// leaklib::PileUpFacts for the timers its loops pile up -> word each
// PileUp (reason, duration, framework's fix).
//
//===----------------------------------------------------------------------===//
#include "checks/TimerInLoopCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace clang::tidy::leak {

TimerInLoopCheck::TimerInLoopCheck(StringRef Name, ClangTidyContext *Context)
    : TimerCheck(Name, Context), Opts(readTimerOptions(Reads::PileUp)),
      Model(Opts) {}

void TimerInLoopCheck::onStartOfTranslationUnit() {
  Facts = std::make_unique<PileUpFacts>(Model, PileUpOptions::from(Opts));
  Reported.clear();
}

void TimerInLoopCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()),
                   unless(isImplicit()),
                   unless(cxxMethodDecl(ofClass(cxxRecordDecl(isLambda())))),
                   // A coroutine's body is a CoroutineBodyStmt.
                   hasBody(stmt(anyOf(compoundStmt(), coroutineBodyStmt()))))
          .bind("fn"),
      this);
}

void TimerInLoopCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (!Facts)
    onStartOfTranslationUnit();
  exportTimerSummary(FD, Model); // for other TUs' calls of FD (project facts)
  for (const LoopPileUp &F : Facts->inFunction(FD, *Result.Context))
    report(F, *Result.SourceManager);
}

/// The framework's fix, for the note on the loop.
static const char *fixFor(TimerFramework F) {
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
  case TimerFramework::QtObject:
    return "start one timer before the loop and keep its id, or killTimer() "
           "the id in the same iteration";
  case TimerFramework::User:
    break;
  }
  return "create the timer once before the loop and re-arm it inside";
}

/// %0 the reason (PileUp::Reason order), %1 the lifetime part (0 none,
/// 1 "each until it fires", 2 "each living %2", 3 "each living %2 until it
/// fires"), %2 the duration, %3 the timer kind, %4 the helper, %5 "a"/"an",
/// %6 whether a helper call creates the timer.
static const char PileUpMessage[] =
    "%select{%3 created on every iteration of this loop outlives the "
    "iteration|call to %4 creates %select{a|an}5 %3 on every iteration of "
    "this loop that outlives the call}6: %select{its own wait handler keeps "
    "it alive, so one timer piles up per iteration|it is stored in a "
    "container that is never cleaned up, so one timer piles up per "
    "iteration|it lives until its parent is destroyed, so one QTimer piles "
    "up per iteration|it is never released, so one timer piles up per "
    "iteration and none is ever freed|one pending timer piles up per "
    "iteration|its callback never returns FALSE, so one source piles up per "
    "iteration and none is ever removed}0%select{|, each until it fires|, "
    "each living %2|, each living %2 until it fires}1";

static unsigned lifetimePart(const PileUp &P) {
  bool UntilFired =
      P.Why == PileUp::CapturedByHandler || P.Why == PileUp::PendingUntilFired;
  if (!UntilFired)
    return 0;
  if (!P.Duration)
    return 1;
  return P.Why == PileUp::PendingUntilFired ? 3 : 2;
}

void TimerInLoopCheck::report(const LoopPileUp &F, const SourceManager &SM) {
  const PileUp &P = F.P;
  auto At = [&](const Stmt *S) { return SM.getExpansionLoc(S->getBeginLoc()); };
  if (Opts.IgnoreParentedQTimer && P.Why == PileUp::ParentOwned)
    return;
  SourceLocation Where = F.HelperCall ? At(F.HelperCall) : At(P.Creation);
  if (Where.isInvalid() || !Reported.insert(Where.getRawEncoding()).second)
    return;
  std::string Duration = P.Duration ? describeDuration(*P.Duration) : "";
  const char *Kind = timerKindName(P.Framework);
  {
    auto D = diag(Where, PileUpMessage)
             << P.Why << lifetimePart(P) << Duration << Kind;
    if (F.Helper)
      D << F.Helper << StringRef("AEIOUaeiou").contains(Kind[0]) << 1;
    else
      D << "" << 0 << 0;
  } // emitted here, before the notes
  if (F.HelperCall)
    diag(At(P.Creation), "%0 created here", DiagnosticIDs::Note) << Kind;
  if (P.MadeInHelper)
    diag(At(P.MadeInHelper),
         "%0 created here, by a function that returns it "
         "to its caller",
         DiagnosticIDs::Note)
        << Kind;
  if (P.Evidence && P.Evidence != P.Creation &&
      (P.Why == PileUp::CapturedByHandler ||
       P.Why == PileUp::StoredInContainer))
    diag(At(P.Evidence),
         "%select{the handler capturing the timer is installed here|stored "
         "here}0",
         DiagnosticIDs::Note)
        << (P.Why == PileUp::StoredInContainer);
  diag(At(F.Loop), "the loop has no small constant trip count; %0",
       DiagnosticIDs::Note)
      << fixFor(P.Framework);
}

} // namespace clang::tidy::leak
