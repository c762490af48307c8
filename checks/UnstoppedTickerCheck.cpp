//===--- UnstoppedTickerCheck.cpp - leak-tidy -----------------------------===//
//
// Match function bodies (and the functions used as thread bodies) -> ask
// leaklib::TickerFacts for the tickers nothing stops -> word each finding.
//
//===----------------------------------------------------------------------===//
#include "checks/UnstoppedTickerCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace clang::tidy::leak {

UnstoppedTickerCheck::UnstoppedTickerCheck(StringRef Name,
                                           ClangTidyContext *Context)
    : TimerCheck(Name, Context), Opts(readTimerOptions(Reads::Ticker)),
      Model(Opts) {}

void UnstoppedTickerCheck::onStartOfTranslationUnit() {
  Facts.reset();
  SMgr = nullptr;
  Reported.clear();
  ThreadEntries.clear();
  Pending.clear();
}

void UnstoppedTickerCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()),
                   unless(isImplicit()),
                   unless(cxxMethodDecl(ofClass(cxxRecordDecl(isLambda())))),
                   // A coroutine's body is a CoroutineBodyStmt.
                   hasBody(stmt(anyOf(compoundStmt(), coroutineBodyStmt()))))
          .bind("fn"),
      this);
  // Free functions used as thread bodies: pthread_create(..., f, ...),
  // std::thread t(f), std::async(f), boost::thread(f).
  auto Entry = declRefExpr(to(functionDecl().bind("entry")));
  auto EntryArg = hasAnyArgument(ignoringParenImpCasts(
      anyOf(Entry, unaryOperator(hasUnaryOperand(Entry)))));
  Finder->addMatcher(callExpr(callee(functionDecl(hasAnyName("::pthread_create",
                                                             "::std::async"))),
                              EntryArg),
                     this);
  Finder->addMatcher(
      cxxConstructExpr(
          hasDeclaration(cxxConstructorDecl(ofClass(hasAnyName(
              "::std::thread", "::std::jthread", "::boost::thread")))),
          EntryArg),
      this);
}

void UnstoppedTickerCheck::check(const MatchFinder::MatchResult &Result) {
  SMgr = Result.SourceManager;
  if (const auto *E = Result.Nodes.getNodeAs<FunctionDecl>("entry")) {
    ThreadEntries.insert(E->getCanonicalDecl());
    return;
  }
  if (!Facts) {
    Facts = std::make_unique<TickerFacts>(*Result.Context, Model, Opts);
    exportFlagWrites(*Result.Context); // project facts: stop flags
  }
  TickerFindings F =
      Facts->inFunction(Result.Nodes.getNodeAs<FunctionDecl>("fn"));
  for (const TickerLoop &L : F.Loops) {
    if (L.OnlyIfThreadEntry)
      Pending.push_back(L);
    else
      reportLoop(L);
  }
  for (const UnstoppableRearm &R : F.Rearms)
    reportRearm(R);
  for (const UnstoppedArm &A : F.Arms)
    reportArm(A);
  for (const UnremovedSource &S : F.Sources)
    reportSource(S);
}

void UnstoppedTickerCheck::onEndOfTranslationUnit() {
  for (const TickerLoop &L : Pending)
    if (ThreadEntries.count(L.OnlyIfThreadEntry->getCanonicalDecl()) &&
        !(Facts && Facts->threadsCancellable()))
      reportLoop(L);
  Pending.clear();
}

void UnstoppedTickerCheck::reportLoop(const TickerLoop &F) {
  SourceLocation At = exp(F.Loop->getBeginLoc());
  if (!firstAt(At))
    return;
  if (F.Flag)
    diag(At, "loop on %0 waits on every turn and no file of the project "
             "sets %0 to %select{false|true}1: this periodic worker can never "
             "be stopped")
        << F.Flag << F.StopValue;
  else
    diag(At, "endless loop waits on every turn and has no exit: this "
             "periodic worker can never be stopped");
  diag(exp(F.Wait->getBeginLoc()), "waits here on every turn",
       DiagnosticIDs::Note);
  if (F.Flag) {
    diag(F.Flag->getLocation(),
         "%0 is shared with other files and none of them sets it to "
         "%select{false|true}1 (project facts)",
         DiagnosticIDs::Note)
        << F.Flag << F.StopValue;
    for (const FlagNote &N : F.FlagNotes)
      if (N.Loc.isValid())
        diag(exp(N.Loc), "%0 is only set to %select{false|true}1 here",
             DiagnosticIDs::Note)
            << F.Flag << N.Value;
      else
        diag(At, "%0 is only set to %select{false|true}1 in %2",
             DiagnosticIDs::Note)
            << F.Flag << N.Value << N.Where;
  }
  if (F.Flag)
    diag(At,
         "set %0 to %select{false|true}1 where the worker must stop (a "
         "stop method or the destructor)",
         DiagnosticIDs::Note)
        << F.Flag << F.StopValue;
  else
    diag(At,
         "leave the loop when a std::atomic<bool> or std::stop_token says "
         "stop, or wait on a condition variable with a stop predicate and "
         "return when it holds",
         DiagnosticIDs::Note);
}

/// %select index of the framework's stop advice.
static unsigned stopAdvice(TimerFramework F) {
  switch (F) {
  case TimerFramework::Posix:
    return 0;
  case TimerFramework::TimerFd:
    return 1;
  case TimerFramework::LibUv:
    return 2;
  case TimerFramework::LibEvent:
    return 3;
  case TimerFramework::Qt:
    return 4;
  case TimerFramework::GLib:
    return 5;
  default:
    return 6;
  }
}

void UnstoppedTickerCheck::reportArm(const UnstoppedArm &F) {
  SourceLocation At = exp(F.Arm->getBeginLoc());
  if (!firstAt(At))
    return;
  const char *Kind = timerKindName(F.Framework);
  if (F.ClosedSibling) {
    diag(At, "periodic libuv timer %0 is never stopped or closed, while the "
             "shutdown closes the loop's other handles: the timer keeps "
             "uv_run() running, so it never returns")
        << F.Timer;
    diag(exp(F.ClosedSibling->getBeginLoc()),
         "another handle of the loop is closed here", DiagnosticIDs::Note);
    diag(At,
         "uv_timer_stop() or uv_close() the timer where the other handles "
         "are closed",
         DiagnosticIDs::Note);
    return;
  }
  if (F.ShortLivedOwner)
    diag(At, "periodic QTimer %0 is parented to an object that lives for the "
             "whole program and is never stopped: destroying the %1 does not "
             "stop it")
        << F.Timer << F.ShortLivedOwner;
  else if (F.Owner && F.Owner->getIdentifier())
    diag(At, "periodic %0 %1 is started here but no function of %2 stops or "
             "deletes it: it outlives its owner and fires for the rest of the "
             "process")
        << Kind << F.Timer << F.Owner;
  else
    diag(At, "periodic %0 %1 is never stopped: nothing stops, deletes or "
             "hands it off, so it fires for the rest of the process")
        << Kind << F.Timer;
  if (F.Creation)
    diag(exp(F.Creation->getBeginLoc()), "%0 created here", DiagnosticIDs::Note)
        << Kind;
  diag(At,
       "%select{timer_delete() it|close() the timerfd|uv_timer_stop() or "
       "uv_close() it|event_del() or event_free() it|stop() or delete it|"
       "g_source_remove() its id|stop it}0 when its owner is done (in the "
       "destructor or a stop method)",
       DiagnosticIDs::Note)
      << stopAdvice(F.Framework);
}

void UnstoppedTickerCheck::reportSource(const UnremovedSource &F) {
  SourceLocation At = exp(F.Add->getBeginLoc());
  if (!firstAt(At))
    return;
  if (F.Framework != TimerFramework::GLib)
    return reportLostId(F);
  const auto *MD = dyn_cast<CXXMethodDecl>(F.Callback);
  bool Lambda = MD && MD->getParent()->isLambda();
  std::string Name = Lambda ? "" : F.Callback->getNameAsString();
  if (F.Overwritten)
    return reportOverwrittenSource(F, Lambda, Name);
  if (F.LeftOnError) {
    diag(At, "GLib timeout source stored in %2 stays active when this "
             "function fails: the error return does not remove it and its "
             "callback %select{'%1'|the lambda}0 never returns FALSE")
        << Lambda << Name << F.Id;
    for (const PathStep &S : F.Path.Steps)
      if (S.Loc.isValid() && S.K != PathStep::Acquire &&
          S.K != PathStep::FunctionEnd)
        diag(exp(S.Loc), describeStep(S), DiagnosticIDs::Note);
    diag(At, "g_source_remove() it (and clear %0) before returning the error",
         DiagnosticIDs::Note)
        << F.Id;
    return;
  }
  // %0: the lambda (1) or the named callback %1.
  if (F.Id)
    diag(At, "periodic GLib timeout source stored in %2 is never removed: its "
             "callback %select{'%1'|the lambda}0 never returns FALSE and "
             "nothing calls g_source_remove() on the id")
        << Lambda << Name << F.Id;
  else
    diag(At, "periodic GLib timeout source can never be removed: its callback "
             "%select{'%1'|the lambda}0 never returns FALSE and the source id "
             "is discarded")
        << Lambda << Name;
  diag(exp(F.Callback->getLocation()),
       "%select{'%1'|the lambda}0 always returns TRUE (G_SOURCE_CONTINUE)",
       DiagnosticIDs::Note)
      << Lambda << Name;
  diag(At,
       "keep the id and g_source_remove() it when its owner goes away, or "
       "return G_SOURCE_REMOVE from the callback when done",
       DiagnosticIDs::Note);
}

void UnstoppedTickerCheck::reportOverwrittenSource(const UnremovedSource &F,
                                                   bool Lambda,
                                                   const std::string &Name) {
  SourceLocation At = exp(F.Add->getBeginLoc());
  diag(At, "a new GLib timeout source id is stored in %2 while the source it "
           "holds may still be active; that source's callback "
           "%select{'%1'|the lambda}0 never returns FALSE, and with its id "
           "lost nothing can remove it")
      << Lambda << Name << F.Id;
  diag(exp(F.ArmedAt), "%0 is first set here", DiagnosticIDs::Note) << F.Id;
  for (const PathStep &S : F.Path.Steps)
    if (S.K != PathStep::Reacquire && S.Loc.isValid())
      diag(exp(S.Loc), describeStep(S), DiagnosticIDs::Note);
  diag(At, "overwritten here while the old source may still be active",
       DiagnosticIDs::Note);
  diag(At,
       "g_source_remove() the old id before adding a new source (or return "
       "early while %0 is set)",
       DiagnosticIDs::Note)
      << F.Id;
}

void UnstoppedTickerCheck::reportLostId(const UnremovedSource &F) {
  SourceLocation At = exp(F.Add->getBeginLoc());
  bool Qt = F.Framework == TimerFramework::QtObject;
  if (F.Overwritten) {
    diag(At, "a new periodic %select{timer|QObject timer}0 id is stored in %1 "
             "while the timer it holds may still run; with its id lost "
             "nothing can %select{cancel|kill}0 that timer")
        << Qt << F.Id;
    diag(exp(F.ArmedAt), "%0 is first set here", DiagnosticIDs::Note) << F.Id;
    for (const PathStep &S : F.Path.Steps)
      if (S.K != PathStep::Reacquire && S.Loc.isValid())
        diag(exp(S.Loc), describeStep(S), DiagnosticIDs::Note);
    diag(At, "overwritten here while the old timer may still run",
         DiagnosticIDs::Note);
  } else if (F.PerEvent) {
    diag(At, "periodic QObject timer started on every event and its id "
             "discarded: one more timer fires per event, and none can be "
             "killed before the object dies");
  } else {
    diag(At, "periodic timer %select{whose id is discarded|stored in %1}0 is "
             "never cancelled: it fires for the rest of the process")
        << (F.Id != nullptr) << F.Id;
  }
  if (F.Overwritten)
    diag(At,
         "%select{cancel the old id (the TimerIdFunctions cancel function)|"
         "killTimer() the old id}0 before starting a new timer",
         DiagnosticIDs::Note)
        << Qt;
  else
    diag(At,
         "keep the id and %select{cancel it (the TimerIdFunctions cancel "
         "function)|killTimer() it}0 when its owner is done",
         DiagnosticIDs::Note)
        << Qt;
}

void UnstoppedTickerCheck::reportRearm(const UnstoppableRearm &F) {
  if (!firstAt(F.Wait->getBeginLoc()))
    return;
  if (F.Repost) {
    diag(exp(F.Wait->getBeginLoc()),
         "the handler posted here calls %0 again, which posts it again, on "
         "every run with no stop check: this chain ticks until the "
         "io_context stops and no cancel() can end it")
        << F.Repost;
    diag(exp(F.Rearm->getBeginLoc()), "re-posted here on every run",
         DiagnosticIDs::Note);
    diag(exp(F.Wait->getBeginLoc()),
         "check a stop flag (or an owner's weak_ptr) before posting again",
         DiagnosticIDs::Note);
    return;
  }
  diag(exp(F.Wait->getBeginLoc()),
       "the handler of this async_wait re-arms %0 %1 on every run "
       "and ignores its error code: cancel() cannot stop this ticker")
      << timerKindName(F.Framework) << F.Timer;
  diag(exp(F.Rearm->getBeginLoc()),
       "re-armed here even when the wait was cancelled (operation_aborted)",
       DiagnosticIDs::Note);
  diag(exp(F.Wait->getBeginLoc()),
       "return from the handler when the error code is set, or check a stop "
       "flag before re-arming",
       DiagnosticIDs::Note);
}

} // namespace clang::tidy::leak
