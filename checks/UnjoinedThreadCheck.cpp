//===--- UnjoinedThreadCheck.cpp - leak-tidy
//----------------------------------===//
#include "checks/UnjoinedThreadCheck.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/thread/ThreadFacts.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace clang::tidy::leak {

namespace {

constexpr llvm::StringLiteral DefaultThreadTypes = "std::thread;boost::thread";
constexpr llvm::StringLiteral DefaultJoinMethods =
    "join;try_join_for;try_join_until;timed_join";
constexpr llvm::StringLiteral DefaultDetachMethods = "detach";
constexpr llvm::StringLiteral DefaultSpawnFunctions =
    "::pthread_create;::uv_thread_create;::uv_thread_create_ex";
constexpr llvm::StringLiteral DefaultSpawnReturningFunctions =
    "::g_thread_new;::g_thread_try_new";
constexpr llvm::StringLiteral DefaultJoinFunctions =
    "::pthread_join;::pthread_tryjoin_np;::pthread_timedjoin_np;"
    "::pthread_clockjoin_np;::uv_thread_join;::g_thread_join";
constexpr llvm::StringLiteral DefaultDetachFunctions =
    "::pthread_detach;::g_thread_unref;::uv_thread_detach";
constexpr llvm::StringLiteral DefaultNonThrowingFunctions =
    "std::basic_ostream;std::basic_istream;std::endl;std::flush;"
    "std::this_thread::sleep_for;std::this_thread::sleep_until;"
    "std::this_thread::yield;std::mutex;std::lock_guard;std::unique_lock;"
    "std::scoped_lock;std::condition_variable;std::chrono::duration;"
    "std::chrono::duration_cast;"
    // Only allocation failure (or a failure to start another thread): not
    // worth a path each.
    "std::basic_string;std::vector;std::allocator;std::function;"
    "std::shared_ptr;std::unique_ptr;std::make_shared;std::make_unique;"
    "std::map;std::multimap;std::set;std::unordered_map;std::unordered_set;"
    "std::list;std::deque;std::pair;std::tuple;std::thread;boost::thread";

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

} // namespace

UnjoinedThreadCheck::UnjoinedThreadCheck(StringRef Name,
                                         ClangTidyContext *Context)
    : LeakCheck(Name, Context) {
  Api.ThreadTypes.add(nameListOption("ThreadTypes", DefaultThreadTypes));
  for (const std::string &N :
       identifierListOption("JoinMethods", DefaultJoinMethods))
    Api.JoinMethods.insert(N);
  for (const std::string &N :
       identifierListOption("DetachMethods", DefaultDetachMethods))
    Api.DetachMethods.insert(N);
  Api.SpawnFunctions.add(
      nameListOption("SpawnFunctions", DefaultSpawnFunctions));
  Api.SpawnReturningFunctions.add(nameListOption(
      "SpawnReturningFunctions", DefaultSpawnReturningFunctions));
  Api.JoinFunctions.add(nameListOption("JoinFunctions", DefaultJoinFunctions));
  Api.DetachFunctions.add(
      nameListOption("DetachFunctions", DefaultDetachFunctions));
  Api.NonThrowingFunctions.add(
      nameListOption("NonThrowingFunctions", DefaultNonThrowingFunctions));
  Api.QThreadTypes.add(nameListOption("QThreadTypes", "QThread"));
  AnalyzeExceptionPaths = boolOption("AnalyzeExceptionPaths", true);
  RequireJoinInDestructor = boolOption("RequireJoinInDestructor", false);
  WaitFunctions.add(defaultWaitFunctions());
}

void UnjoinedThreadCheck::onStartOfTranslationUnit() {
  CFGs.clear();
  ThrowCache.clear();
  SpawnsDone.clear();
  DeclsDone.clear();
}

namespace {
/// A local container whose elements are threads (std::vector<std::thread>).
AST_MATCHER_P(VarDecl, holdsThreadElements, const leaklib::ThreadApi *,
              Api) {
  return leaklib::threadContainerElement(Node.getType(), *Api) != nullptr;
}

/// Like unless(isInstantiated()), but through the declaration contexts: no
/// parent map of the translation unit is needed.
AST_MATCHER(Decl, notInInstantiation) {
  return !leaklib::isInInstantiation(Node);
}
} // namespace

void UnjoinedThreadCheck::registerMatchers(MatchFinder *Finder) {
  std::vector<std::string> ThreadStore, SpawnStore, ContainerStore;
  std::vector<StringRef> ThreadNames =
      lastComponents(Api.ThreadTypes.names(), ThreadStore);
  std::vector<std::string> Spawns = Api.SpawnFunctions.names();
  for (const std::string &N : Api.SpawnReturningFunctions.names())
    Spawns.push_back(N);
  std::vector<StringRef> SpawnNames = lastComponents(Spawns, SpawnStore);
  std::vector<StringRef> ContainerNames = lastComponents(
      {"vector", "deque", "list", "forward_list", "small_vector"},
      ContainerStore);
  if (ThreadNames.empty())
    ThreadNames.emplace_back("thread");
  if (SpawnNames.empty())
    SpawnNames.emplace_back("pthread_create");

  auto InFunction = forCallableInUserCode(functionDecl().bind("fn"));
  auto ThreadStart =
      cxxConstructExpr(argumentCountAtLeast(1),
                       hasDeclaration(cxxConstructorDecl(
                           ofClass(cxxRecordDecl(hasAnyName(ThreadNames))))),
                       unless(inTemplateInstantiation()), InFunction)
          .bind("ctor");
  auto SpawnCall = callExpr(callee(functionDecl(hasAnyName(SpawnNames))),
                            unless(inTemplateInstantiation()), InFunction)
                       .bind("spawn");
  // Cheap, local tests first: only the rare candidates that hold threads
  // ask about their declaration contexts.
  auto ThreadContainer =
      varDecl(
          hasLocalStorage(), unless(parmVarDecl()),
          hasType(hasUnqualifiedDesugaredType(recordType(hasDeclaration(
              classTemplateSpecializationDecl(hasAnyName(ContainerNames)))))),
          holdsThreadElements(&Api), notInInstantiation())
          .bind("container");
  auto RecordWithThreads =
      cxxRecordDecl(
          isDefinition(), unless(isExpansionInSystemHeader()),
          has(fieldDecl(hasType(hasUnqualifiedDesugaredType(recordType(
              hasDeclaration(cxxRecordDecl(hasAnyName(llvm::to_vector(
                  llvm::concat<StringRef>(ThreadNames, ContainerNames)))))))))),
          notInInstantiation())
          .bind("record");

  std::vector<std::string> QtStore;
  std::vector<StringRef> QtNames =
      lastComponents(Api.QThreadTypes.names(), QtStore);
  if (!QtNames.empty())
    Finder->addMatcher(
        cxxMemberCallExpr(
            callee(cxxMethodDecl(hasName("start"),
                                 ofClass(cxxRecordDecl(isSameOrDerivedFrom(
                                     hasAnyName(QtNames)))))),
            unless(inTemplateInstantiation()), InFunction)
            .bind("qstart"),
        this);
  Finder->addMatcher(ThreadStart, this);
  Finder->addMatcher(SpawnCall, this);
  Finder->addMatcher(ThreadContainer, this);
  Finder->addMatcher(RecordWithThreads, this);
}

void UnjoinedThreadCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (const auto *Ctor = Result.Nodes.getNodeAs<CXXConstructExpr>("ctor")) {
    if (FD && SpawnsDone.insert(Ctor).second)
      checkThreadObject(Ctor, FD, Ctx);
    return;
  }
  if (const auto *Call = Result.Nodes.getNodeAs<CallExpr>("spawn")) {
    if (FD && SpawnsDone.insert(Call).second)
      checkSpawnCall(Call, FD, Ctx);
    return;
  }
  if (const auto *Start = Result.Nodes.getNodeAs<CXXMemberCallExpr>("qstart")) {
    if (FD && SpawnsDone.insert(Start).second)
      checkQThreadStart(Start, FD, Ctx);
    return;
  }
  if (const auto *V = Result.Nodes.getNodeAs<VarDecl>("container")) {
    const auto *Owner = dyn_cast<FunctionDecl>(V->getDeclContext());
    if (Owner && DeclsDone.insert(V).second &&
        threadContainerElement(V->getType(), Api))
      checkThreadContainer(V, Owner, Ctx);
    return;
  }
  if (const auto *RD = Result.Nodes.getNodeAs<CXXRecordDecl>("record")) {
    if (DeclsDone.insert(RD).second)
      checkRecord(RD, Ctx);
    return;
  }
}

FunctionCFG *UnjoinedThreadCheck::cfgFor(const FunctionDecl *FD,
                                         ASTContext &Ctx) {
  auto It = CFGs.find(FD);
  if (It != CFGs.end())
    return It->second.get();
  // Matches arrive function by function: keep memory bounded on big files.
  if (CFGs.size() >= 32)
    CFGs.clear();
  std::unique_ptr<FunctionCFG> F;
  if (FD->getBody() && !FD->isInvalidDecl() && !FD->isDependentContext())
    F = FunctionCFG::build(FD, FD->getBody(), Ctx);
  FunctionCFG *Raw = F.get();
  CFGs[FD] = std::move(F);
  return Raw;
}

void UnjoinedThreadCheck::checkThreadObject(const CXXConstructExpr *Ctor,
                                            const FunctionDecl *FD,
                                            ASTContext &Ctx) {
  const CXXConstructExpr *Start = threadStart(Ctor, Api);
  if (Start != Ctor || !FD->getBody())
    return;
  const CXXRecordDecl *TR = threadRecord(Ctor->getType(), Api);
  StartContext SC = startContext(Ctor, Ctx, Api);
  if (SC.Detach) {
    checkDetached(Ctor, SC.Detach, Ctor->getArg(0), FD, Ctx);
    return;
  }
  if (!SC.Var || !threadRecord(SC.Var->getType(), Api) ||
      SC.Var->getDeclContext() != FD)
    return;
  FunctionCFG *F = cfgFor(FD, Ctx);
  if (!F)
    return;
  if (const Stmt *Detach = findDetach(SC.Var, FD->getBody(), F->parents(), Api))
    checkDetached(Ctor, Detach, Ctor->getArg(0), FD, Ctx);
  const Stmt *Acquire = SC.Assign ? static_cast<const Stmt *>(SC.Assign)
                                  : static_cast<const Stmt *>(Ctor);
  analyzeHandle(Acquire, SC.Var, FD, Ctx, TR, "");
}

void UnjoinedThreadCheck::checkSpawnCall(const CallExpr *Call,
                                         const FunctionDecl *FD,
                                         ASTContext &Ctx) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !FD->getBody())
    return;
  bool Returning = Api.SpawnReturningFunctions.matches(Callee);
  if (!Returning && !Api.SpawnFunctions.matches(Callee))
    return;
  const Expr *Callable = nullptr;
  for (unsigned I = 1; I < Call->getNumArgs(); ++I)
    if (callableBody(Call->getArg(I)) || Call->getArg(I)
                                             ->IgnoreParenImpCasts()
                                             ->getType()
                                             ->isFunctionPointerType()) {
      Callable = Call->getArg(I);
      break;
    }
  FunctionCFG *F = cfgFor(FD, Ctx);
  if (!F)
    return;
  ParentMap &PM = F->parents();
  std::string Name = Callee->getNameAsString();

  // Where the handle lives, and the variables that hold the call's result.
  const VarDecl *Holder = nullptr;
  const Stmt *P = PM.getParent(Call);
  while (P && (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P)))
    P = PM.getParent(P);
  const VarDecl *ResultVar = nullptr;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(P)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->getInit() && VD->getInit()->IgnoreParenImpCasts() == Call)
          ResultVar = VD;
  } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P)) {
    if (BO->getOpcode() == BO_Assign &&
        BO->getRHS()->IgnoreParenImpCasts() == Call)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        ResultVar = dyn_cast<VarDecl>(DRE->getDecl());
  }

  if (Returning) {
    bool Discarded = !P || isa<CompoundStmt>(P) ||
                     (isa<CStyleCastExpr>(P) &&
                      cast<CStyleCastExpr>(P)->getType()->isVoidType());
    if (Discarded) {
      diag(Call->getBeginLoc(),
           "the thread started by %0 is never joined and its handle is "
           "dropped; the thread and its %1 are never released")
          << Name << Callee->getReturnType().getAsString();
      diag(Call->getBeginLoc(),
           "keep the handle and join it, or release it right away if the "
           "thread must run detached",
           DiagnosticIDs::Note);
      return;
    }
    if (!isPlainLocal(ResultVar) || ResultVar->getDeclContext() != FD)
      return; // stored elsewhere: handed off
    Holder = ResultVar;
  } else {
    if (Call->getNumArgs() == 0)
      return;
    const auto *UO =
        dyn_cast<UnaryOperator>(Call->getArg(0)->IgnoreParenImpCasts());
    if (!UO || UO->getOpcode() != UO_AddrOf)
      return;
    const auto *DRE =
        dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!isPlainLocal(VD) || VD->getDeclContext() != FD)
      return; // a member, global, array element or out-parameter: escapes
    Holder = VD;
    // pthread_create(&t, &attr, ...): the attributes may detach it.
    if (Call->getNumArgs() >= 4) {
      QualType AT = Call->getArg(1)->IgnoreParenImpCasts()->getType();
      if (AT->isPointerType() &&
          AT->getPointeeType().getUnqualifiedType().getAsString() ==
              "pthread_attr_t") {
        switch (attrDetachState(Call->getArg(1), FD->getBody(), Ctx)) {
        case AttrDetach::Detached:
          checkDetached(Call, Call, Callable, FD, Ctx);
          return;
        case AttrDetach::Unknown:
          return;
        case AttrDetach::Joinable:
          break;
        }
      }
    }
  }
  if (const Stmt *Detach = findDetach(Holder, FD->getBody(), PM, Api))
    checkDetached(Call, Detach, Callable, FD, Ctx);
  analyzeHandle(Call, Holder, FD, Ctx, nullptr, Name);
}

void UnjoinedThreadCheck::checkQThreadStart(const CXXMemberCallExpr *Start,
                                            const FunctionDecl *FD,
                                            ASTContext &Ctx) {
  const Expr *Obj = Start->getImplicitObjectArgument();
  const auto *DRE =
      Obj ? dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()) : nullptr;
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!isPlainLocal(V) || V->getDeclContext() != FD || !FD->getBody())
    return;
  // The class, whether it is a QThread type (or derives from one).
  auto IsQThread = [&](const CXXRecordDecl *RD) {
    if (!RD || !RD->hasDefinition())
      return false;
    if (Api.QThreadTypes.matches(RD))
      return true;
    return RD->forallBases([&](const CXXRecordDecl *B) {
      return !Api.QThreadTypes.matches(B);
    }) == false;
  };
  bool Pointer = V->getType()->isPointerType();
  const CXXRecordDecl *RD = Pointer ? V->getType()->getPointeeCXXRecordDecl()
                                    : V->getType()->getAsCXXRecordDecl();
  if (!IsQThread(RD))
    return;
  if (Pointer) {
    // Only a thread this function owns: `new QThread` without a parent, or
    // QThread::create(...).
    const Expr *Init =
        V->getInit() ? V->getInit()->IgnoreParenImpCasts() : nullptr;
    if (const auto *EWC = dyn_cast_or_null<ExprWithCleanups>(Init))
      Init = EWC->getSubExpr()->IgnoreParenImpCasts();
    bool Owned = false;
    if (const auto *New = dyn_cast_or_null<CXXNewExpr>(Init)) {
      Owned = New->getNumPlacementArgs() == 0;
      if (const CXXConstructExpr *CE = New->getConstructExpr())
        for (const Expr *A : CE->arguments())
          if (A->getType()->isPointerType() && !isa<CXXDefaultArgExpr>(A) &&
              !A->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
            Owned = false; // a parent QObject deletes it
    } else if (const auto *CE = dyn_cast_or_null<CallExpr>(Init)) {
      Owned = calleeName(CE) == "create";
    }
    if (!Owned)
      return;
  }
  FunctionCFG *F = cfgFor(FD, Ctx);
  if (!F)
    return;
  // Handed off before it starts: connect(t, &QThread::finished, t,
  // &QObject::deleteLater), worker.moveToThread(&t), ...
  llvm::SmallVector<const Stmt *, 64> Work{FD->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      if (Ref->getDecl() == V && Ref->getBeginLoc() < Start->getBeginLoc() &&
          classifyQThreadRef(Ref, F->parents()) == HandleEffect::Escapes)
        return;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  ThreadHandleModel Model(V, F->parents(), Api);
  Model.QtThread = true;
  LifetimeQuery Q;
  Q.Acquire = Start;
  Q.Holder = V;
  LifetimeResult R = analyzeLifetime(*F, Q, Model);
  if (!R.leaked())
    return;
  if (pathContradictsGuard(*R.Path, Start, FD->getBody(), F->parents(), Ctx))
    return;
  diag(V->getLocation(),
       Pointer ? "QThread %0 is started but on this path it is never waited "
                 "for, deleted or given an owner; the thread object leaks"
               : "QThread %0 may still be running when it is destroyed on "
                 "this path; Qt aborts ('destroyed while thread is still "
                 "running')")
      << V;
  emitPathNotes(*R.Path, V->getName());
  diag(V->getLocation(),
       Pointer ? "quit() and wait() for it, or connect its finished() signal "
                 "to its deleteLater() slot"
               : "quit() and wait() for it on every path before it goes out "
                 "of scope",
       DiagnosticIDs::Note);
}

void UnjoinedThreadCheck::analyzeHandle(const Stmt *Acquire,
                                        const VarDecl *Holder,
                                        const FunctionDecl *FD, ASTContext &Ctx,
                                        const CXXRecordDecl *ThreadType,
                                        StringRef SpawnName) {
  // Returning from main() ends the process and every thread with it; only a
  // thread object's destructor (std::terminate) still matters there.
  if (!ThreadType && FD->isMain())
    return;
  FunctionCFG *F = cfgFor(FD, Ctx);
  if (!F)
    return;
  ThreadHandleModel Model(Holder, F->parents(), Api);
  Model.ThrowCache = &ThrowCache;
  Model.Acquire = Acquire;
  if (!ThreadType) {
    const ValueDecl *Result = nullptr;
    bool Pointer = Holder->getType()->isPointerType() &&
                   isa<CallExpr>(Acquire) &&
                   cast<CallExpr>(Acquire)->getType()->isPointerType();
    const Stmt *P =
        F->parents().getParentIgnoreParenImpCasts(const_cast<Stmt *>(Acquire));
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(P)) {
      if (DS->isSingleDecl())
        Result = dyn_cast<VarDecl>(DS->getSingleDecl());
    } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P)) {
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        Result = DRE->getDecl();
    }
    Model.FailureBranches =
        spawnFailureBranches(Acquire, Result, Pointer, FD->getBody());
  }
  bool Terminates = ThreadType && destructorTerminates(ThreadType);
  LifetimeQuery Q;
  Q.Acquire = Acquire;
  Q.Holder = Holder;
  Q.AnalyzeExceptionPaths = AnalyzeExceptionPaths && Terminates;
  // An exception out of main() or a noexcept function calls std::terminate
  // whether or not the thread is joinable.
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  Q.EscapingExceptionsTerminate = FD->isMain() || (Proto && Proto->isNothrow());
  LifetimeResult R = analyzeLifetime(*F, Q, Model);
  if (!R.leaked())
    return;
  const LeakPath &Path = *R.Path;
  if (pathContradictsGuard(Path, Acquire, FD->getBody(), F->parents(), Ctx))
    return; // FIXME: another, feasible path may still leak

  // A C spawn reports failure through its result: the branch that tests it
  // is the "no thread was started" path, which we cannot tell apart.
  if (!ThreadType) {
    llvm::SmallVector<const ValueDecl *, 2> Vars{Holder};
    const Stmt *Spawn = Acquire;
    if (const auto *DS =
            dyn_cast_or_null<DeclStmt>(F->parents().getParent(Spawn)))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          Vars.push_back(VD);
    // The result variable, if the call initializes or is assigned to one.
    const Stmt *P =
        F->parents().getParentIgnoreParenImpCasts(const_cast<Stmt *>(Spawn));
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P))
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        Vars.push_back(DRE->getDecl());
    for (const PathStep &S : Path.Steps) {
      if (S.K != PathStep::Branch)
        continue;
      if (const auto *If = dyn_cast_or_null<IfStmt>(S.S)) {
        bool ThenFails =
            llvm::is_contained(Model.FailureBranches, If->getThen());
        bool ElseFails =
            If->getElse() &&
            llvm::is_contained(Model.FailureBranches, If->getElse());
        if ((ThenFails && S.Successor == 0) || (ElseFails && S.Successor == 1))
          return; // the path goes where the spawn failed (a goto, ...)
        if (ThenFails || ElseFails)
          continue; // the success edge of a recognised failure test
      }
      if (mentions(branchCondition(S.S), Spawn, Vars))
        return; // a test of the result we could not read: stay silent
    }
  }

  bool OnException =
      Path.Exit == LeakPath::OnThrow || Path.Exit == LeakPath::OnMayThrow;
  bool Again = Path.Exit == LeakPath::OnReacquire;
  std::string What;
  if (Again && !ThreadType) {
    What = "thread %0 started by '" + SpawnName.str() +
           "' is started again before the previous thread was joined or "
           "detached; the earlier handle is lost and that thread stays a "
           "zombie";
  } else if (Again) {
    What = Terminates ? "a new thread is move-assigned into %0 while the "
                        "previous one may still be joinable; that assignment "
                        "calls std::terminate"
                      : "a new thread is move-assigned into %0 while the "
                        "previous one may still be joinable; the old thread "
                        "is detached and never joined";
  } else if (!ThreadType) {
    What = "thread %0 started by '" + SpawnName.str() +
           "' is neither joined nor detached on this path; once it ends it "
           "stays a zombie holding its stack";
  } else if (Terminates) {
    What = OnException ? "thread %0 is still joinable if an exception leaves "
                         "its scope; its destructor calls std::terminate"
                       : "thread %0 is still joinable when it goes out of "
                         "scope on this path; its destructor calls "
                         "std::terminate";
  } else {
    What = "thread %0 is still joinable when it goes out of scope on this "
           "path; its destructor detaches it, so it is never joined";
  }
  std::optional<FixItHint> Fix;
  const LangOptions &LO = Ctx.getLangOpts();
  if (!Again && Terminates && LO.CPlusPlus20 &&
      isa<CXXConstructExpr>(Acquire) &&
      qualifiedName(ThreadType) == "std::thread" &&
      Holder->getTypeSourceInfo() &&
      onlyJoined(Holder, FD->getBody(), F->parents(), Api) &&
      callableIgnoresStopToken(cast<CXXConstructExpr>(Acquire)) &&
      bodyFinishesOnItsOwn(cast<CXXConstructExpr>(Acquire), Ctx)) {
    SourceRange TR = Holder->getTypeSourceInfo()->getTypeLoc().getSourceRange();
    const SourceManager &SM = Ctx.getSourceManager();
    if (TR.isValid() && !TR.getBegin().isMacroID() &&
        !TR.getEnd().isMacroID()) {
      StringRef Text =
          Lexer::getSourceText(CharSourceRange::getTokenRange(TR), SM, LO);
      if (Text == "std::thread")
        Fix = FixItHint::CreateReplacement(CharSourceRange::getTokenRange(TR),
                                           "std::jthread");
    }
  }
  {
    auto D = diag(Holder->getLocation(), What) << Holder;
    if (Fix)
      D << *Fix;
  }
  emitPathNotes(Path, Holder->getName());
  if (!ThreadType)
    diag(Holder->getLocation(), "join or detach %0 on every path",
         DiagnosticIDs::Note)
        << Holder;
  else if (Terminates && LO.CPlusPlus20)
    diag(Holder->getLocation(),
         "join %0 on every path, or make it a std::jthread, which joins when "
         "destroyed",
         DiagnosticIDs::Note)
        << Holder;
  else
    diag(Holder->getLocation(),
         "join %0 on every path (a scope guard whose destructor joins works "
         "too)",
         DiagnosticIDs::Note)
        << Holder;
}

void UnjoinedThreadCheck::emitPathNotes(const LeakPath &Path, StringRef Name) {
  for (const PathStep &S : Path.Steps) {
    if (S.Loc.isInvalid())
      continue;
    switch (S.K) {
    case PathStep::Acquire:
      diag(S.Loc, "thread started here", DiagnosticIDs::Note);
      break;
    case PathStep::MayThrow: {
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
      break;
    }
    case PathStep::ScopeEnd:
      diag(S.Loc, "'%0' goes out of scope here", DiagnosticIDs::Note) << Name;
      break;
    case PathStep::Reacquire:
      diag(S.Loc, "started again here while the previous thread is held",
           DiagnosticIDs::Note);
      break;
    default:
      diag(S.Loc, describeStep(S), DiagnosticIDs::Note);
      break;
    }
  }
}

void UnjoinedThreadCheck::checkDetached(const Stmt *Spawn,
                                        const Stmt *DetachSite,
                                        const Expr *Callable,
                                        const FunctionDecl *FD,
                                        ASTContext &Ctx) {
  const Stmt *Body = FD->getBody();
  if (!Body)
    return;
  ParentMap PM(const_cast<Stmt *>(Body));
  // Form 6: one detached thread per turn of an unbounded loop.
  if (const Stmt *Loop = enclosingLoop(Spawn, PM, Body)) {
    bool DetachInLoop = false;
    for (const Stmt *S = DetachSite; S && S != Body; S = PM.getParent(S))
      if (S == Loop)
        DetachInLoop = true;
    if (DetachInLoop && isUnboundedLoop(Loop, Ctx)) {
      diag(Spawn->getBeginLoc(),
           "a detached thread is started on every turn of this loop; nothing "
           "bounds how many run at once");
      diag(Loop->getBeginLoc(), "this loop has no bound", DiagnosticIDs::Note);
      if (DetachSite->getBeginLoc() != Spawn->getBeginLoc())
        diag(DetachSite->getBeginLoc(), "detached here", DiagnosticIDs::Note);
      diag(Spawn->getBeginLoc(),
           "hand the work to a fixed pool of threads, or cap the number of "
           "threads running",
           DiagnosticIDs::Note);
    }
  }
  // Form 5: the detached thread's body loops forever.
  if (!Callable)
    return;
  const Stmt *EndlessLoop =
      findEndlessLoop(callableBody(Callable), Ctx, WaitFunctions);
  if (!EndlessLoop)
    return;
  diag(Spawn->getBeginLoc(),
       "detached thread runs a loop that nothing can stop; it never finishes "
       "and keeps its stack and everything it references");
  diag(EndlessLoop->getBeginLoc(),
       "this loop has no exit, and its condition reads nothing another thread "
       "can change",
       DiagnosticIDs::Note);
  if (DetachSite->getBeginLoc() != Spawn->getBeginLoc())
    diag(DetachSite->getBeginLoc(), "detached here", DiagnosticIDs::Note);
  diag(Spawn->getBeginLoc(),
       "give the loop a stop condition (an std::atomic<bool> flag or a "
       "std::stop_token) and join the thread when stopping it",
       DiagnosticIDs::Note);
}

void UnjoinedThreadCheck::checkThreadContainer(const VarDecl *V,
                                               const FunctionDecl *FD,
                                               ASTContext &Ctx) {
  const CXXRecordDecl *Elem = threadContainerElement(V->getType(), Api);
  const Stmt *Body = FD->getBody();
  if (!Elem || !Body)
    return;
  FunctionCFG *F = cfgFor(FD, Ctx);
  if (!F)
    return;
  ParentMap &PM = F->parents();
  const CXXMemberCallExpr *FirstAdd = nullptr;
  bool Handled = joinsSomeElement(Body, Api);
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(S))
      if (capturesVar(L, V))
        Handled = true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (DRE->getDecl() == V) {
        ThreadContainerUse U = classifyContainerRef(DRE, PM);
        if (U == ThreadContainerUse::Handles)
          Handled = true;
        if (U == ThreadContainerUse::Adds) {
          const Stmt *ME =
              PM.getParentIgnoreParenImpCasts(const_cast<DeclRefExpr *>(DRE));
          const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(
              ME ? PM.getParent(const_cast<Stmt *>(ME)) : nullptr);
          if (MC && (!FirstAdd || MC->getBeginLoc() < FirstAdd->getBeginLoc()))
            FirstAdd = MC;
        }
      }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  if (!FirstAdd)
    return;
  bool Terminates = destructorTerminates(Elem);
  if (!Handled) {
    diag(V->getLocation(),
         Terminates ? "threads added to %0 are never joined or detached; "
                      "destroying %0 calls std::terminate"
                    : "threads added to %0 are never joined; destroying %0 "
                      "detaches them")
        << V;
    diag(FirstAdd->getBeginLoc(), "thread added here", DiagnosticIDs::Note);
    diag(V->getLocation(),
         "join every thread in %0 before it goes out of scope (for (auto &t : "
         "%1) t.join();)",
         DiagnosticIDs::Note)
        << V << V->getName();
    return;
  }
  // Joined somewhere: is there a path that skips it (an early return)?
  ThreadContainerModel Model(V, PM);
  LifetimeQuery Q;
  Q.Acquire = FirstAdd;
  Q.Holder = V;
  Q.ReportReacquire = false;
  LifetimeResult R = analyzeLifetime(*F, Q, Model);
  if (!R.leaked())
    return;
  diag(V->getLocation(),
       Terminates ? "threads added to %0 are still joinable when it goes out "
                    "of scope on this path; destroying them calls "
                    "std::terminate"
                  : "threads added to %0 are still joinable when it goes out "
                    "of scope on this path; destroying them detaches them")
      << V;
  for (const PathStep &S : R.Path->Steps) {
    if (S.Loc.isInvalid())
      continue;
    if (S.K == PathStep::Acquire)
      diag(S.Loc, "thread added here", DiagnosticIDs::Note);
    else if (S.K == PathStep::ScopeEnd)
      diag(S.Loc, "'%0' goes out of scope here", DiagnosticIDs::Note)
          << V->getName();
    else
      diag(S.Loc, describeStep(S), DiagnosticIDs::Note);
  }
  diag(V->getLocation(), "join every thread in %0 on every path",
       DiagnosticIDs::Note)
      << V;
}

void UnjoinedThreadCheck::checkRecord(const CXXRecordDecl *RD,
                                      ASTContext &Ctx) {
  if (RD->isDependentContext())
    return; // templates: member uses are not resolved yet
  llvm::SmallVector<const FunctionDecl *, 16> Defs;
  for (const CXXMethodDecl *MD : RD->methods()) {
    const FunctionDecl *Def = nullptr;
    if (MD->hasBody(Def) && Def)
      Defs.push_back(Def);
  }
  for (const Decl *D : RD->decls())
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D)) {
      const FunctionDecl *Def = nullptr;
      if (FT->getTemplatedDecl()->hasBody(Def) && Def)
        Defs.push_back(Def);
    }
  for (const FieldDecl *Field : RD->fields()) {
    MemberFacts M;
    M.Field = Field;
    const CXXRecordDecl *Elem = threadRecord(Field->getType(), Api);
    if (!Elem) {
      Elem = threadContainerElement(Field->getType(), Api);
      M.IsContainer = true;
    }
    if (!Elem || Field->getType()->isReferenceType() ||
        !destructorTerminates(Elem))
      continue;
    for (const FunctionDecl *Def : Defs)
      scanMethod(Def, M, Api);
    if (M.FirstStart.isInvalid() || M.Escapes)
      continue;
    const CXXDestructorDecl *Dtor = RD->getDestructor();
    const FunctionDecl *DtorDef = nullptr;
    bool DtorJoins = false;
    if (Dtor && Dtor->isUserProvided()) {
      if (!Dtor->hasBody(DtorDef))
        continue; // defined in another file: we cannot tell
      llvm::DenseSet<const FunctionDecl *> Seen;
      DtorJoins = reachesJoin(DtorDef, M, RD, 0, Seen);
    }
    bool JoinedElsewhere = false;
    for (const auto &J : M.Joins)
      if (!isa<CXXDestructorDecl>(J.second))
        JoinedElsewhere = true;
    // A start()/stop() protocol (a test fixture's SetUp/TearDown, a pool's
    // shutdown()): unless asked, trust that the owner calls it.
    if (!DtorJoins && JoinedElsewhere && !RequireJoinInDestructor)
      continue;
    if (!DtorJoins) {
      diag(Field->getLocation(),
           M.IsContainer
               ? "threads in member %0 are started in %1 but the destructor "
                 "of %2 never joins or detaches them; destroying a %2 while "
                 "they run calls std::terminate"
               : "thread member %0 is started in %1 but the destructor of %2 "
                 "never joins or detaches it; destroying a %2 while it runs "
                 "calls std::terminate")
          << Field << functionLabel(M.FirstStartIn) << RD;
      diag(M.FirstStart, "started here", DiagnosticIDs::Note);
      for (const auto &J : M.Joins)
        if (!isa<CXXDestructorDecl>(J.second)) {
          diag(J.first,
               "joined only in %0, which the destructor does not "
               "call",
               DiagnosticIDs::Note)
              << functionLabel(J.second);
          break;
        }
      diag(Field->getLocation(),
           Ctx.getLangOpts().CPlusPlus20
               ? "join %0 in the destructor (after asking the thread to "
                 "stop), or make it a std::jthread"
               : "join %0 in the destructor (after asking the thread to "
                 "stop)",
           DiagnosticIDs::Note)
          << Field;
      continue;
    }
    // The destructor joins; a restart that reassigns without joining.
    bool OtherJoins = false;
    for (const auto &J : M.Joins)
      if (J.second != DtorDef)
        OtherJoins = true;
    if (!M.IsContainer && M.StartedInCtor && !OtherJoins) {
      for (const auto &[Site, Method] : M.Reassigns) {
        diag(Site->getBeginLoc(),
             "a new thread is move-assigned into %0 while the previous one "
             "may still be joinable; that assignment calls std::terminate")
            << Field;
        diag(M.FirstStart, "%0 is started here", DiagnosticIDs::Note) << Field;
        diag(Site->getBeginLoc(),
             "join the old thread (after asking it to stop) before starting "
             "the new one",
             DiagnosticIDs::Note);
        break;
      }
    }
    // Containers whose elements are destroyed while joinable.
    for (const auto &[Site, Method] : M.Destroys) {
      if (!Site || isa<CXXDestructorDecl>(Method))
        continue;
      bool JoinedBefore = false;
      for (const auto &J : M.Joins)
        if (J.second == Method)
          JoinedBefore = true;
      if (JoinedBefore)
        continue;
      diag(Site->getBeginLoc(),
           "the threads in %0 are destroyed here without being joined; a "
           "joinable thread's destructor calls std::terminate")
          << Field;
      diag(M.FirstStart, "threads are added here", DiagnosticIDs::Note);
      diag(Site->getBeginLoc(), "join (or detach) them before removing them",
           DiagnosticIDs::Note);
    }
  }
}

} // namespace clang::tidy::leak
