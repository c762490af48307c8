//===--- UnjoinedThreadCheck.cpp - leak-tidy ------------------------------===//
//
// What to match (six forms of starting a thread, a thread returned by a
// function, a dependent start in a template's pattern) and which analysis of
// lib/thread/ThreadFacts.h answers; the wording is in
// UnjoinedThreadDiagnostics.cpp.
//
//===----------------------------------------------------------------------===//
#include "checks/UnjoinedThreadCheck.h"
#include "lib/core/ParentIndex.h"
#include "lib/thread/ThreadMembers.h"
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

/// A local container whose elements are threads (std::vector<std::thread>).
AST_MATCHER_P(VarDecl, holdsThreadElements, const ThreadApi *, Api) {
  return threadContainerElement(Node.getType(), *Api) != nullptr;
}

/// Like unless(isInstantiated()), but through the declaration contexts: no
/// parent map of the translation unit is needed.
AST_MATCHER(Decl, notInInstantiation) { return !isInInstantiation(Node); }

/// A function of this TU (or of the project, defined in another TU: the
/// project facts may know it) returning a thread or a C thread handle,
/// which ThreadFacts::freshCall asks whether it is a fresh one.
AST_MATCHER_P(FunctionDecl, returnsThreadHandle, const ThreadApi *, Api) {
  return isThreadHandleType(Node.getReturnType(), *Api) &&
         (Node.hasBody() ||
          !Finder->getASTContext().getSourceManager().isInSystemHeader(
              Node.getLocation()));
}

/// A function defined here whose thread summary other TUs may read.
AST_MATCHER_P(FunctionDecl, exportsThreadFacts, const ThreadApi *, Api) {
  return exportsThreadSummary(&Node, *Api);
}

/// A member holding a heap thread: `std::thread *`,
/// `std::unique_ptr<std::thread>`.
AST_MATCHER_P(FieldDecl, holdsHeapThread, const ThreadApi *, Api) {
  MemberHolder H;
  return heapThreadRecord(Node.getType(), *Api, H) != nullptr;
}

/// A type that is one of the thread types.
AST_MATCHER_P(QualType, isThreadType, const ThreadApi *, Api) {
  return threadRecord(Node, *Api) != nullptr;
}

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
  O.ReportDetachedThreadsPerTurn = boolOption("ReportDetachedThreadsPerTurn",
                                              D.ReportDetachedThreadsPerTurn);
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
  std::vector<StringRef> ContainerNames =
      lastComponents({"vector", "deque", "list", "forward_list", "small_vector",
                      "map", "unordered_map", "multimap", "unordered_multimap"},
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
  Finder->addMatcher(callExpr(callee(functionDecl(returnsThreadHandle(&Api))),
                              NotTemplate, InFunction)
                         .bind("fresh"),
                     this);
  // A template's pattern, once: dependent starts exist only there.
  Finder->addMatcher(
      cxxUnresolvedConstructExpr(hasType(isThreadType(&Api)), InFunction)
          .bind("dstart"),
      this);
  Finder->addMatcher(varDecl(hasLocalStorage(), hasType(isThreadType(&Api)),
                             hasInitializer(parenListExpr().bind("dstart")),
                             unless(isExpansionInSystemHeader()))
                         .bind("dvar"),
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
  Finder->addMatcher(functionDecl(isExpansionInMainFile(),
                                  exportsThreadFacts(&Api),
                                  notInInstantiation())
                         .bind("summary"),
                     this);
  Finder->addMatcher(
      cxxRecordDecl(
          isDefinition(), unless(isExpansionInSystemHeader()),
          has(fieldDecl(anyOf(hasType(hasUnqualifiedDesugaredType(recordType(
                                  hasDeclaration(cxxRecordDecl(hasAnyName(
                                      llvm::to_vector(llvm::concat<StringRef>(
                                          ThreadNames, ContainerNames)))))))),
                              holdsHeapThread(&Api)))),
          notInInstantiation())
          .bind("record"),
      this);
}

ThreadFindings
UnjoinedThreadCheck::analyze(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const BoundNodes &N = Result.Nodes;
  const auto *FD = N.getNodeAs<FunctionDecl>("fn");
  if (const auto *V = N.getNodeAs<VarDecl>("dvar"))
    FD = dyn_cast<FunctionDecl>(V->getDeclContext());
  if (const auto *Ctor = N.getNodeAs<CXXConstructExpr>("ctor"))
    if (FD && Done.insert(Ctor).second)
      return Facts.threadObject(Ctor, FD, Ctx);
  if (const auto *Call = N.getNodeAs<CallExpr>("spawn"))
    if (FD && Done.insert(Call).second)
      return Facts.spawnCall(Call, FD, Ctx);
  if (const auto *Call = N.getNodeAs<CallExpr>("fresh"))
    if (FD && Done.insert(Call).second)
      return Facts.freshCall(Call, FD, Ctx);
  if (const auto *Start = N.getNodeAs<Expr>("dstart"))
    if (FD && Done.insert(Start).second)
      return Facts.dependentStart(Start, N.getNodeAs<VarDecl>("dvar"), FD, Ctx);
  if (const auto *Start = N.getNodeAs<CXXMemberCallExpr>("qstart"))
    if (FD && Done.insert(Start).second)
      return Facts.qthreadStart(Start, FD, Ctx);
  if (const auto *V = N.getNodeAs<VarDecl>("container"))
    if (const auto *Owner = dyn_cast<FunctionDecl>(V->getDeclContext()))
      if (Done.insert(V).second)
        return Facts.threadContainer(V, Owner, Ctx);
  if (const auto *Def = N.getNodeAs<FunctionDecl>("summary")) {
    exportThreadSummary(Def, Facts.api());
    return {};
  }
  if (const auto *RD = N.getNodeAs<CXXRecordDecl>("record"))
    if (Done.insert(RD).second)
      return Facts.threadMembers(RD);
  return {};
}

void UnjoinedThreadCheck::check(const MatchFinder::MatchResult &Result) {
  for (const ThreadFinding &F : analyze(Result))
    report(F, Result.Context->getLangOpts());
}

} // namespace clang::tidy::leak
