//===--- UnjoinedThreadDiagnostics.cpp - leak-tidy ------------------------===//
//
// How each finding of leak-unjoined-thread is worded: the warning at the
// leaking object, notes along the path, the fix in words.
//
//===----------------------------------------------------------------------===//
#include "checks/UnjoinedThreadCheck.h"
#include "clang/AST/ExprCXX.h"

using namespace clang::leaklib;

namespace clang::tidy::leak {

namespace {
std::string functionLabel(const FunctionDecl *FD) {
  if (isa<CXXConstructorDecl>(FD))
    return "the constructor";
  if (isa<CXXDestructorDecl>(FD))
    return "the destructor";
  return "'" + FD->getNameAsString() + "'";
}
} // namespace

void UnjoinedThreadCheck::report(const ThreadFinding &F,
                                 const LangOptions &LO) {
  switch (F.Kind) {
  case ThreadLeak::Unjoined:
  case ThreadLeak::StartedAgain:
  case ThreadLeak::QThreadRunning:
  case ThreadLeak::QThreadLeaked:
  case ThreadLeak::DroppedHandle:
    return reportHandle(F, LO);
  case ThreadLeak::ContainerNeverJoined:
  case ThreadLeak::ContainerUnjoinedOnPath:
  case ThreadLeak::ArrayNotAllJoined:
    return reportContainer(F);
  case ThreadLeak::DetachedPerTurn:
  case ThreadLeak::DetachedEndless:
    return reportDetached(F);
  case ThreadLeak::MemberNotJoined:
  case ThreadLeak::MemberRestarted:
  case ThreadLeak::MemberDeletedJoinable:
  case ThreadLeak::MemberElementsDestroyed:
  case ThreadLeak::MemberOutlivesOwner:
  case ThreadLeak::MemberGuardedJoin:
    return reportMember(F, LO);
  }
}

void UnjoinedThreadCheck::reportHandle(const ThreadFinding &F,
                                       const LangOptions &LO) {
  const auto *V = dyn_cast_or_null<NamedDecl>(F.Thread);
  bool Again = F.Kind == ThreadLeak::StartedAgain;
  switch (F.Kind) {
  case ThreadLeak::DroppedHandle:
    diag(F.Loc, "the thread started by %0 is never joined and its handle is "
                "dropped; the thread and its %1 are never released")
        << F.Spawn << F.HandleType;
    diag(F.Loc,
         "keep the handle and join it, or release it right away if the "
         "thread must run detached",
         DiagnosticIDs::Note);
    return;
  case ThreadLeak::QThreadRunning:
  case ThreadLeak::QThreadLeaked:
    diag(F.Loc, "%select{QThread %0 may still be running when it is "
                "destroyed on this path; Qt aborts ('destroyed while thread "
                "is still running')|QThread %0 is started but on this path it "
                "is never waited for, deleted or given an owner; the thread "
                "object leaks}1")
        << V << F.Pointer;
    emitPathNotes(F.Path, V->getName(), /*Container=*/false);
    diag(F.Loc,
         "%select{quit() and wait() for it on every path before it goes out "
         "of scope|quit() and wait() for it, or connect its finished() signal "
         "to its deleteLater() slot}0",
         DiagnosticIDs::Note)
        << F.Pointer;
    return;
  default:
    break;
  }
  bool OnException =
      F.Path.Exit == LeakPath::OnThrow || F.Path.Exit == LeakPath::OnMayThrow;
  if (F.CHandle) {
    diag(F.Loc, "thread %0 started by '%1' %select{is neither joined nor "
                "detached on this path; once it ends it stays a zombie holding "
                "its stack|is started again before the previous thread was "
                "joined or detached; the earlier handle is lost and that "
                "thread stays a zombie}2")
        << V << F.Spawn << Again;
  } else if (Again) {
    diag(F.Loc, "a new thread is move-assigned into %0 while the previous one "
                "may still be joinable; %select{the old thread is detached and "
                "never joined|that assignment calls std::terminate}1")
        << V << F.Terminates;
  } else {
    auto D = diag(F.Loc, "thread %0 is still joinable %select{when it goes "
                         "out of scope on this path; its destructor detaches "
                         "it, so it is never joined|when it goes out of scope "
                         "on this path; its destructor calls std::terminate|if "
                         "an exception leaves its scope; its destructor calls "
                         "std::terminate}1")
             << V << (F.Terminates ? (OnException ? 2 : 1) : 0);
    if (F.JThreadFix)
      D << FixItHint::CreateReplacement(*F.JThreadFix, "std::jthread");
  }
  emitPathNotes(F.Path, V->getName(), /*Container=*/false);
  diag(F.Loc,
       "%select{join %0 on every path (a scope guard whose destructor joins "
       "works too)|join %0 on every path, or make it a std::jthread, which "
       "joins when destroyed|join or detach %0 on every path}1",
       DiagnosticIDs::Note)
      << V
      << (F.CHandle                        ? 2
          : F.Terminates && LO.CPlusPlus20 ? 1
                                           : 0);
}

void UnjoinedThreadCheck::reportContainer(const ThreadFinding &F) {
  const auto *V = cast<NamedDecl>(F.Thread);
  if (F.Kind == ThreadLeak::ArrayNotAllJoined) {
    diag(F.Loc, "threads started into %0 by '%1' are not all joined or "
                "detached on this path; each one left over stays a zombie "
                "holding its stack")
        << V << F.Spawn;
    emitPathNotes(F.Path, V->getName(), /*Container=*/false);
    if (F.FailedSpawnAt.isValid())
      diag(F.FailedSpawnAt,
           "when '%0' fails on a later turn, the threads started on the "
           "earlier turns are still running",
           DiagnosticIDs::Note)
          << F.Spawn;
    if (F.Loop.isValid())
      diag(F.Loop,
           "this loop joins fewer elements than the loop that starts "
           "them",
           DiagnosticIDs::Note);
    diag(F.Loc,
         "join every element of %0 on every path, with a loop over the same "
         "range as the one that starts them",
         DiagnosticIDs::Note)
        << V;
    return;
  }
  if (F.Kind == ThreadLeak::ContainerNeverJoined) {
    diag(F.Loc, "threads added to %0 are never joined%select{; destroying %0 "
                "detaches them| or detached; destroying %0 calls "
                "std::terminate}1")
        << V << F.Terminates;
    diag(F.Started, "thread added here", DiagnosticIDs::Note);
    diag(F.Loc,
         "join every thread in %0 before it goes out of scope (for (auto "
         "&%select{t|[id, t]}2 : %1) t.join();)",
         DiagnosticIDs::Note)
        << V << V->getName() << F.Keyed;
    return;
  }
  diag(F.Loc, "threads added to %0 are still joinable when it goes out of "
              "scope on this path; destroying them %select{detaches them|calls "
              "std::terminate}1")
      << V << F.Terminates;
  emitPathNotes(F.Path, V->getName(), /*Container=*/true);
  diag(F.Loc, "join every thread in %0 on every path", DiagnosticIDs::Note)
      << V;
}

void UnjoinedThreadCheck::reportDetached(const ThreadFinding &F) {
  bool Endless = F.Kind == ThreadLeak::DetachedEndless;
  diag(F.Loc, "%select{a detached thread is started on every turn of this "
              "loop; nothing bounds how many run at once|detached thread runs "
              "a loop that nothing can stop; it never finishes and keeps its "
              "stack and everything it references}0")
      << Endless;
  diag(F.Loop,
       "%select{this loop has no bound|this loop has no exit, and its "
       "condition reads nothing another thread can change}0",
       DiagnosticIDs::Note)
      << Endless;
  if (F.PerTurnLoop.isValid())
    diag(F.PerTurnLoop,
         "and one more such thread is started on every turn of this loop, "
         "which has no bound: they pile up",
         DiagnosticIDs::Note);
  if (F.DetachedAt.isValid())
    diag(F.DetachedAt, "detached here", DiagnosticIDs::Note);
  diag(F.Loc,
       "%select{hand the work to a fixed pool of threads, or cap the number "
       "of threads running|give the loop a stop condition (an "
       "std::atomic<bool> flag or a std::stop_token) and join the thread "
       "when stopping it}0",
       DiagnosticIDs::Note)
      << Endless;
}

void UnjoinedThreadCheck::reportMember(const ThreadFinding &F,
                                       const LangOptions &LO) {
  const auto *Field = cast<NamedDecl>(F.Thread);
  switch (F.Kind) {
  case ThreadLeak::MemberRestarted:
  case ThreadLeak::MemberDeletedJoinable: {
    bool Deleted = F.Kind == ThreadLeak::MemberDeletedJoinable;
    diag(F.Loc, "%select{a new thread is move-assigned into %0 while the "
                "previous one may still be joinable; that assignment calls "
                "std::terminate|the thread %0 points to is destroyed here "
                "while it may still be joinable; its destructor calls "
                "std::terminate}1")
        << Field << Deleted;
    diag(F.Started, "%0 is started here%select{| in %2}1", DiagnosticIDs::Note)
        << Field << (F.StartedIn != nullptr)
        << (F.StartedIn ? functionLabel(F.StartedIn) : "");
    LeakPath Path = F.Path;
    if (!Path.Steps.empty() && Path.last().K == PathStep::Reacquire)
      Path.Steps.pop_back(); // worded below
    emitPathNotes(Path, Field->getName(), /*Container=*/false);
    diag(F.Loc,
         "%select{overwritten|destroyed}0 here while it may still be running",
         DiagnosticIDs::Note)
        << Deleted;
    diag(F.Loc,
         "join the old thread (after asking it to stop) before %select{"
         "starting the new one|destroying it}0; checking joinable() and "
         "joining is enough",
         DiagnosticIDs::Note)
        << Deleted;
    return;
  }
  case ThreadLeak::MemberOutlivesOwner:
    diag(F.Loc, "thread member %0 runs a loop that never ends, and nothing "
                "joins or interrupts it when %1 is destroyed; its destructor "
                "detaches it, so the thread outlives its owner")
        << Field << F.Record;
    diag(F.Started, "started here", DiagnosticIDs::Note);
    diag(F.Loop,
         "this loop has no exit, and its condition reads nothing another "
         "thread can change",
         DiagnosticIDs::Note);
    diag(F.Loc,
         "give the loop a stop condition (or an interruption point), then "
         "stop it and join %0 in the destructor (interrupt() and join())",
         DiagnosticIDs::Note)
        << Field;
    return;
  case ThreadLeak::MemberGuardedJoin: {
    const auto *Flag = cast<NamedDecl>(F.Guard);
    diag(F.Loc, "%0 joins thread member %1 only if %2 is %select{set|clear}4, "
                "but %2 can be %select{clear|set}4 while the thread is still "
                "joinable; destroying a %3 then calls std::terminate")
        << functionLabel(F.GuardIn) << Field << Flag << F.Record << F.FlagValue;
    diag(F.Started, "%0 is started here%select{| in %2}1", DiagnosticIDs::Note)
        << Field << (F.StartedIn != nullptr)
        << (F.StartedIn ? functionLabel(F.StartedIn) : "");
    if (F.FlagClearedByWorker)
      diag(F.FlagClearedAt,
           "the worker %select{clears|sets}1 %0 here, and the thread stays "
           "joinable until someone joins it",
           DiagnosticIDs::Note)
          << Flag << F.FlagValue;
    else
      diag(F.FlagClearedAt,
           "%0 returns here after starting %1 without "
           "setting %2",
           DiagnosticIDs::Note)
          << functionLabel(F.FlagClearedIn) << Field << Flag;
    emitPathNotes(F.Path, Field->getName(), /*Container=*/false);
    diag(F.Loc, "test joinable() on %0 instead of %1 before joining",
         DiagnosticIDs::Note)
        << Field << Flag;
    return;
  }
  case ThreadLeak::MemberElementsDestroyed:
    diag(F.Loc, "the threads in %0 are destroyed here without being joined; "
                "a joinable thread's destructor calls std::terminate")
        << Field;
    diag(F.Started, "threads are added here", DiagnosticIDs::Note);
    diag(F.Loc, "join (or detach) them before removing them",
         DiagnosticIDs::Note);
    return;
  default:
    break;
  }
  diag(F.Loc, "%select{thread member %0 is started in %1 but the destructor "
              "of %2 never joins or detaches it; destroying a %2 while it "
              "runs calls std::terminate|threads in member %0 are started in "
              "%1 but the destructor of %2 never joins or detaches them; "
              "destroying a %2 while they run calls std::terminate}3")
      << Field << (F.StartedIn ? functionLabel(F.StartedIn) : F.StartedInName)
      << F.Record << F.IsContainer;
  if (F.Started.isValid())
    diag(F.Started, "started here", DiagnosticIDs::Note);
  else if (!F.StartedFile.empty())
    diag(F.Loc, "started in %0", DiagnosticIDs::Note) << F.StartedFile;
  if (!F.NotJoinedIn.empty())
    diag(F.NotJoinedAt.isValid() ? F.NotJoinedAt : F.Loc,
         "%select{'%1'|the destructor}0 defined %select{in %2|here}3 does not "
         "join or detach it",
         DiagnosticIDs::Note)
        << F.NotJoinedInDestructor << F.NotJoinedIn << F.NotJoinedFile
        << F.NotJoinedAt.isValid();
  if (F.JoinedIn)
    diag(F.JoinedAt, "joined only in %0, which the destructor does not call",
         DiagnosticIDs::Note)
        << functionLabel(F.JoinedIn);
  diag(F.Loc,
       "join %0 in the destructor (after asking the thread to stop)%select{|, "
       "or make it a std::jthread}1",
       DiagnosticIDs::Note)
      << Field << LO.CPlusPlus20;
}

void UnjoinedThreadCheck::emitPathNotes(const LeakPath &Path, StringRef Name,
                                        bool Container) {
  for (const PathStep &S : Path.Steps) {
    if (S.Loc.isInvalid())
      continue;
    if (S.K == PathStep::Acquire) {
      diag(S.Loc, "thread %select{started|added}0 here", DiagnosticIDs::Note)
          << Container;
    } else if (S.K == PathStep::ScopeEnd) {
      diag(S.Loc, "'%0' goes out of scope here", DiagnosticIDs::Note) << Name;
    } else if (S.K == PathStep::Reacquire) {
      diag(S.Loc, "started again here while the previous thread is held",
           DiagnosticIDs::Note);
    } else if (S.K == PathStep::MayThrow) {
      std::string Callee;
      if (const auto *CE = dyn_cast_or_null<CallExpr>(S.S)) {
        if (const FunctionDecl *FD = CE->getDirectCallee())
          Callee = FD->getQualifiedNameAsString();
      } else if (const auto *CCE = dyn_cast_or_null<CXXConstructExpr>(S.S)) {
        Callee = CCE->getConstructor()->getParent()->getQualifiedNameAsString();
      }
      if (Callee.empty())
        diag(S.Loc, "this call may throw", DiagnosticIDs::Note);
      else
        diag(S.Loc, "'%0' may throw here", DiagnosticIDs::Note) << Callee;
    } else {
      diag(S.Loc, describeStep(S), DiagnosticIDs::Note);
    }
  }
}

} // namespace clang::tidy::leak
