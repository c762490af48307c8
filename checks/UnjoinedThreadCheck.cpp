//===--- UnjoinedThreadCheck.cpp - leak-tidy ------------------------------===//
//
// What to match (six forms of starting a thread), which analysis of
// lib/thread/ThreadFacts.h answers, and how each finding is worded.
//
//===----------------------------------------------------------------------===//
#include "checks/UnjoinedThreadCheck.h"
#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace clang::tidy::leak {

namespace {

std::vector<StringRef> lastComponents(const std::vector<std::string> &Names,
                                      std::vector<std::string> &Storage) {
  Storage.clear();
  for (const std::string &N : Names) {
    StringRef S = N;
    size_t Pos = S.rfind("::");
    Storage.push_back((Pos == StringRef::npos ? S : S.substr(Pos + 2)).str());
  }
  return {Storage.begin(), Storage.end()};
}

std::string functionLabel(const FunctionDecl *FD) {
  if (isa<CXXConstructorDecl>(FD))
    return "the constructor";
  if (isa<CXXDestructorDecl>(FD))
    return "the destructor";
  return "'" + FD->getNameAsString() + "'";
}

/// A local container whose elements are threads (std::vector<std::thread>).
AST_MATCHER_P(VarDecl, holdsThreadElements, const ThreadApi *, Api) {
  return threadContainerElement(Node.getType(), *Api) != nullptr;
}

/// Like unless(isInstantiated()), but through the declaration contexts: no
/// parent map of the translation unit is needed.
AST_MATCHER(Decl, notInInstantiation) { return !isInInstantiation(Node); }

} // namespace

UnjoinedThreadCheck::UnjoinedThreadCheck(StringRef Name,
                                         ClangTidyContext *Context)
    : LeakCheck(Name, Context), Facts(readOptions()) {}

ThreadOptions UnjoinedThreadCheck::readOptions() {
  const ThreadOptions D = ThreadOptions::defaults();
  ThreadOptions O = D;
  auto Names = [&](StringRef Option, const std::vector<std::string> &Def) {
    return nameListOption(Option, joinList(Def));
  };
  O.ThreadTypes = Names("ThreadTypes", D.ThreadTypes);
  O.JoinMethods = identifierListOption("JoinMethods", joinList(D.JoinMethods));
  O.DetachMethods =
      identifierListOption("DetachMethods", joinList(D.DetachMethods));
  O.SpawnFunctions = Names("SpawnFunctions", D.SpawnFunctions);
  O.SpawnReturningFunctions =
      Names("SpawnReturningFunctions", D.SpawnReturningFunctions);
  O.JoinFunctions = Names("JoinFunctions", D.JoinFunctions);
  O.DetachFunctions = Names("DetachFunctions", D.DetachFunctions);
  O.NonThrowingFunctions =
      Names("NonThrowingFunctions", D.NonThrowingFunctions);
  O.QThreadTypes = Names("QThreadTypes", D.QThreadTypes);
  O.AnalyzeExceptionPaths =
      boolOption("AnalyzeExceptionPaths", D.AnalyzeExceptionPaths);
  O.RequireJoinInDestructor =
      boolOption("RequireJoinInDestructor", D.RequireJoinInDestructor);
  O.WaitFunctions = Names("WaitFunctions", D.WaitFunctions);
  return O;
}

void UnjoinedThreadCheck::onStartOfTranslationUnit() {
  Facts.reset();
  Done.clear();
}

void UnjoinedThreadCheck::registerMatchers(MatchFinder *Finder) {
  const ThreadApi &Api = Facts.api();
  std::vector<std::string> ThreadStore, SpawnStore, ContainerStore, QtStore;
  std::vector<StringRef> ThreadNames =
      lastComponents(Api.ThreadTypes.names(), ThreadStore);
  std::vector<std::string> Spawns = Api.SpawnFunctions.names();
  for (const std::string &N : Api.SpawnReturningFunctions.names())
    Spawns.push_back(N);
  std::vector<StringRef> SpawnNames = lastComponents(Spawns, SpawnStore);
  std::vector<StringRef> ContainerNames = lastComponents(
      {"vector", "deque", "list", "forward_list", "small_vector"},
      ContainerStore);
  std::vector<StringRef> QtNames =
      lastComponents(Api.QThreadTypes.names(), QtStore);
  if (ThreadNames.empty())
    ThreadNames.emplace_back("thread");
  if (SpawnNames.empty())
    SpawnNames.emplace_back("pthread_create");

  auto InFunction = forCallableInUserCode(functionDecl().bind("fn"));
  auto NotTemplate = unless(inTemplateInstantiation());
  Finder->addMatcher(
      cxxConstructExpr(argumentCountAtLeast(1),
                       hasDeclaration(cxxConstructorDecl(
                           ofClass(cxxRecordDecl(hasAnyName(ThreadNames))))),
                       NotTemplate, InFunction)
          .bind("ctor"),
      this);
  Finder->addMatcher(callExpr(callee(functionDecl(hasAnyName(SpawnNames))),
                              NotTemplate, InFunction)
                         .bind("spawn"),
                     this);
  if (!QtNames.empty())
    Finder->addMatcher(
        cxxMemberCallExpr(
            callee(cxxMethodDecl(hasName("start"),
                                 ofClass(cxxRecordDecl(isSameOrDerivedFrom(
                                     hasAnyName(QtNames)))))),
            NotTemplate, InFunction)
            .bind("qstart"),
        this);
  // Cheap, local tests first: only the rare candidates that hold threads
  // ask about their declaration contexts.
  Finder->addMatcher(
      varDecl(
          hasLocalStorage(), unless(parmVarDecl()),
          hasType(hasUnqualifiedDesugaredType(recordType(hasDeclaration(
              classTemplateSpecializationDecl(hasAnyName(ContainerNames)))))),
          holdsThreadElements(&Api), notInInstantiation())
          .bind("container"),
      this);
  Finder->addMatcher(
      cxxRecordDecl(
          isDefinition(), unless(isExpansionInSystemHeader()),
          has(fieldDecl(hasType(hasUnqualifiedDesugaredType(recordType(
              hasDeclaration(cxxRecordDecl(hasAnyName(llvm::to_vector(
                  llvm::concat<StringRef>(ThreadNames, ContainerNames)))))))))),
          notInInstantiation())
          .bind("record"),
      this);
}

ThreadFindings
UnjoinedThreadCheck::analyze(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const BoundNodes &N = Result.Nodes;
  const auto *FD = N.getNodeAs<FunctionDecl>("fn");
  if (const auto *Ctor = N.getNodeAs<CXXConstructExpr>("ctor"))
    if (FD && Done.insert(Ctor).second)
      return Facts.threadObject(Ctor, FD, Ctx);
  if (const auto *Call = N.getNodeAs<CallExpr>("spawn"))
    if (FD && Done.insert(Call).second)
      return Facts.spawnCall(Call, FD, Ctx);
  if (const auto *Start = N.getNodeAs<CXXMemberCallExpr>("qstart"))
    if (FD && Done.insert(Start).second)
      return Facts.qthreadStart(Start, FD, Ctx);
  if (const auto *V = N.getNodeAs<VarDecl>("container"))
    if (const auto *Owner = dyn_cast<FunctionDecl>(V->getDeclContext()))
      if (Done.insert(V).second)
        return Facts.threadContainer(V, Owner, Ctx);
  if (const auto *RD = N.getNodeAs<CXXRecordDecl>("record"))
    if (Done.insert(RD).second)
      return Facts.threadMembers(RD);
  return {};
}

void UnjoinedThreadCheck::check(const MatchFinder::MatchResult &Result) {
  for (const ThreadFinding &F : analyze(Result))
    report(F, Result.Context->getLangOpts());
}

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
    return reportContainer(F);
  case ThreadLeak::DetachedPerTurn:
  case ThreadLeak::DetachedEndless:
    return reportDetached(F);
  case ThreadLeak::MemberNotJoined:
  case ThreadLeak::MemberRestarted:
  case ThreadLeak::MemberElementsDestroyed:
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
  if (F.Kind == ThreadLeak::ContainerNeverJoined) {
    diag(F.Loc, "threads added to %0 are never joined%select{; destroying %0 "
                "detaches them| or detached; destroying %0 calls "
                "std::terminate}1")
        << V << F.Terminates;
    diag(F.Started, "thread added here", DiagnosticIDs::Note);
    diag(F.Loc,
         "join every thread in %0 before it goes out of scope (for (auto &t : "
         "%1) t.join();)",
         DiagnosticIDs::Note)
        << V << V->getName();
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
    diag(F.Loc, "a new thread is move-assigned into %0 while the previous one "
                "may still be joinable; that assignment calls std::terminate")
        << Field;
    diag(F.Started, "%0 is started here", DiagnosticIDs::Note) << Field;
    diag(F.Loc,
         "join the old thread (after asking it to stop) before starting the "
         "new one",
         DiagnosticIDs::Note);
    return;
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
      << Field << functionLabel(F.StartedIn) << F.Record << F.IsContainer;
  diag(F.Started, "started here", DiagnosticIDs::Note);
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
