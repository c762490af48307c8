//===--- ThreadModel.cpp - leak-tidy -------------------------------------===//
#include "lib/thread/ThreadModel.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/VarUses.h"
#include "lib/program/FunctionSummaries.h"
#include "lib/program/ProgramFacts.h"
#include "lib/thread/ThreadFacts.h"
#include "lib/thread/ThreadPaths.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
namespace leaklib {

namespace {
constexpr const char *DefaultThreadTypes = "std::thread;boost::thread";
constexpr const char *DefaultJoinMethods =
    "join;try_join_for;try_join_until;timed_join";
constexpr const char *DefaultDetachMethods = "detach";
constexpr const char *DefaultSpawnFunctions =
    "::pthread_create;::uv_thread_create;::uv_thread_create_ex;::thrd_create";
constexpr const char *DefaultSpawnReturningFunctions =
    "::g_thread_new;::g_thread_try_new";
constexpr const char *DefaultJoinFunctions =
    "::pthread_join;::pthread_tryjoin_np;::pthread_timedjoin_np;"
    "::pthread_clockjoin_np;::uv_thread_join;::g_thread_join;::thrd_join";
constexpr const char *DefaultDetachFunctions =
    "::pthread_detach;::g_thread_unref;::uv_thread_detach;::thrd_detach";
constexpr const char *DefaultNonThrowingFunctions =
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
} // namespace

ThreadOptions ThreadOptions::defaults() {
  ThreadOptions O;
  O.ThreadTypes = splitList(DefaultThreadTypes);
  O.JoinMethods = splitList(DefaultJoinMethods);
  O.DetachMethods = splitList(DefaultDetachMethods);
  O.SpawnFunctions = splitList(DefaultSpawnFunctions);
  O.SpawnReturningFunctions = splitList(DefaultSpawnReturningFunctions);
  O.JoinFunctions = splitList(DefaultJoinFunctions);
  O.DetachFunctions = splitList(DefaultDetachFunctions);
  O.NonThrowingFunctions = splitList(DefaultNonThrowingFunctions);
  O.QThreadTypes = {"QThread"};
  O.WaitFunctions = defaultWaitFunctions();
  return O;
}

ThreadApi::ThreadApi(const ThreadOptions &O)
    : ThreadTypes(O.ThreadTypes), SpawnFunctions(O.SpawnFunctions),
      SpawnReturningFunctions(O.SpawnReturningFunctions),
      JoinFunctions(O.JoinFunctions), DetachFunctions(O.DetachFunctions),
      NonThrowingFunctions(O.NonThrowingFunctions),
      QThreadTypes(O.QThreadTypes), WaitFunctions(O.WaitFunctions) {
  for (const std::string &N : O.JoinMethods)
    JoinMethods.insert(N);
  for (const std::string &N : O.DetachMethods)
    DetachMethods.insert(N);
}

const CXXRecordDecl *threadRecord(QualType T, const ThreadApi &Api) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return nullptr;
  return Api.ThreadTypes.matches(RD) ? RD : nullptr;
}

bool destructorTerminates(const CXXRecordDecl *Thread) {
  if (!Thread)
    return true;
  const CXXDestructorDecl *Dtor = Thread->getDestructor();
  const FunctionDecl *Def = nullptr;
  if (!Dtor || !Dtor->hasBody(Def) || !Def->getBody())
    return true;
  bool Detaches = false;
  bool Terminates = anyStmt(
      Def->getBody(),
      [&](const Stmt *S) {
        const auto *CE = dyn_cast<CallExpr>(S);
        if (!CE)
          return false;
        llvm::StringRef N = calleeName(CE);
        if (N == "detach")
          Detaches = true;
        return N.contains("terminate");
      },
      LambdaPolicy::Enter);
  if (Terminates)
    return true;
  return !Detaches;
}

const CXXRecordDecl *threadContainerElement(QualType T, const ThreadApi &Api) {
  if (T.isNull())
    return nullptr;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() == 0)
    return nullptr;
  static const NameMatcher Containers(
      {"std::vector", "std::deque", "std::list", "std::forward_list",
       "boost::container::vector", "boost::container::deque",
       "boost::container::list", "boost::container::small_vector"});
  unsigned Arg = 0;
  if (isMapContainer(T))
    Arg = 1; // the mapped type
  else if (!Containers.matches(Spec))
    return nullptr;
  if (Spec->getTemplateArgs().size() <= Arg)
    return nullptr;
  const TemplateArgument &A = Spec->getTemplateArgs()[Arg];
  if (A.getKind() != TemplateArgument::Type)
    return nullptr;
  return threadRecord(A.getAsType(), Api);
}

bool isMapContainer(QualType T) {
  if (T.isNull())
    return false;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  static const NameMatcher Maps({"std::map", "std::unordered_map",
                                 "std::multimap", "std::unordered_multimap"});
  return Spec && Maps.matches(Spec);
}

bool isQThreadClass(const CXXRecordDecl *RD, const ThreadApi &Api) {
  if (!RD || !RD->hasDefinition())
    return false;
  if (Api.QThreadTypes.matches(RD))
    return true;
  return !RD->forallBases(
      [&](const CXXRecordDecl *B) { return !Api.QThreadTypes.matches(B); });
}

const CXXConstructExpr *threadStart(const Expr *E, const ThreadApi &Api) {
  // Through temporaries, functional casts and the elided move of a
  // temporary into the variable.
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
      ignoreTransparent(E, PeelTemporaries | PeelExplicitCasts | PeelCopies));
  if (!CE || CE->getNumArgs() == 0 ||
      CE->getConstructor()->isCopyOrMoveConstructor() ||
      !threadRecord(CE->getType(), Api))
    return nullptr;
  return CE;
}

bool isPlainLocal(const VarDecl *V) {
  return V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) &&
         !V->getType()->isReferenceType();
}

/// Whether a C function that is part of a thread API and only inspects or
/// tunes the handle (pthread_setname_np, pthread_equal, g_thread_ref, ...).
static bool isNeutralThreadApi(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() || !FD->isExternC())
    return false;
  llvm::StringRef N = FD->getName();
  return N.starts_with("pthread_") || N.starts_with("g_thread_") ||
         N.starts_with("uv_thread_") || N.starts_with("thrd_");
}

namespace {
/// \p E names \p P (through casts, `&`, std::move).
bool namesParam(const Expr *E, const ParmVarDecl *P) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
      ignoreTransparent(E, PeelValue | PeelAddressOf | PeelConversions));
  return DRE && DRE->getDecl() == P;
}

HandleEffect paramEffect(const FunctionDecl *FD, unsigned I,
                         const ThreadApi &Api, unsigned Depth);

/// What the top-level statement \p S of a function does to its parameter
/// \p P: joins or detaches it (a method, a join/detach function, a callee
/// that does, `if (p.joinable()) p.join();`), or None.
HandleEffect releaseOfParam(const Stmt *S, const ParmVarDecl *P,
                            const ThreadApi &Api, unsigned Depth) {
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    const auto *Test = dyn_cast_or_null<CXXMemberCallExpr>(
        ignoreTransparent(If->getCond(), PeelValue));
    const Stmt *Then = If->getThen();
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Then))
      Then = CS->size() == 1 ? CS->body_front() : nullptr;
    if (If->getElse() || !Test || !Then || !Test->getMethodDecl() ||
        !Test->getMethodDecl()->getIdentifier() ||
        Test->getMethodDecl()->getName() != "joinable" ||
        !namesParam(Test->getImplicitObjectArgument(), P))
      return HandleEffect::None;
    return releaseOfParam(Then, P, Api, Depth);
  }
  const auto *E = ignoreTransparent(dyn_cast<Expr>(S), PeelValue);
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || !MD->getIdentifier() ||
        !namesParam(MC->getImplicitObjectArgument(), P))
      return HandleEffect::None;
    if (Api.JoinMethods.count(MD->getName()))
      return HandleEffect::Joins;
    return Api.DetachMethods.count(MD->getName()) ? HandleEffect::Detaches
                                                  : HandleEffect::None;
  }
  const auto *CE = dyn_cast_or_null<CallExpr>(E);
  const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
  if (!Callee || isa<CXXOperatorCallExpr>(CE))
    return HandleEffect::None;
  if (CE->getNumArgs() > 0 && namesParam(CE->getArg(0), P)) {
    if (Api.JoinFunctions.matches(Callee))
      return HandleEffect::Joins;
    if (Api.DetachFunctions.matches(Callee))
      return HandleEffect::Detaches;
  }
  for (unsigned J = 0; J < CE->getNumArgs(); ++J)
    if (namesParam(CE->getArg(J), P))
      return paramEffect(Callee, J, Api, Depth + 1);
  return HandleEffect::None;
}

HandleEffect paramEffect(const FunctionDecl *FD, unsigned I,
                         const ThreadApi &Api, unsigned Depth) {
  if (Depth > 3 || !FD)
    return HandleEffect::None;
  if (!FD->hasBody()) // defined in another TU: its facts, if any
    return releasesParamElsewhere(FD, I, Api) ? HandleEffect::Joins
                                              : HandleEffect::None;
  HandleEffect Found = HandleEffect::None;
  FunctionSummaries::get(FD->getASTContext())
      .releasesParam(FD, I, [&](const Stmt *S, const ParmVarDecl *P) {
        Found = releaseOfParam(S, P, Api, Depth);
        return Found != HandleEffect::None;
      });
  return Found;
}
} // namespace

HandleEffect calleeEffectOnParam(const FunctionDecl *FD, unsigned I,
                                 const ThreadApi &Api) {
  HandleEffect E = paramEffect(FD, I, Api, 0);
  return E == HandleEffect::None ? HandleEffect::Escapes : E;
}

HandleEffect classifyHandleRef(const Expr *Ref, ParentMap &PM,
                               const ThreadApi &Api) {
  const Stmt *Child = Ref;
  const Stmt *P = PM.getParent(Ref);
  bool AddressTaken = false;
  while (P) {
    if (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P) ||
        isa<MaterializeTemporaryExpr>(P) || isa<CXXBindTemporaryExpr>(P)) {
      Child = P;
      P = PM.getParent(P);
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
      if (UO->getOpcode() == UO_AddrOf) {
        AddressTaken = true;
        Child = P;
        P = PM.getParent(P);
        continue;
      }
      if (UO->getOpcode() == UO_LNot)
        return HandleEffect::None; // if (!handle)
    }
    break;
  }
  if (!P)
    return HandleEffect::None;

  // t.join(), t.detach(), t.joinable(), t.get_id()
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    if (AddressTaken)
      return HandleEffect::Escapes;
    const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
    if (!MD || !MD->getIdentifier())
      return HandleEffect::None; // a data member read (GThread fields, ...)
    llvm::StringRef N = MD->getName();
    if (Api.JoinMethods.count(N) || N == "joinable")
      return HandleEffect::Joins;
    if (Api.DetachMethods.count(N))
      return HandleEffect::Detaches;
    if (N == "get_id")
      return HandleEffect::None;
    return HandleEffect::Escapes; // native_handle, swap, ...: not ours
  }

  if (const auto *CE = dyn_cast<CallExpr>(P)) {
    if (isa<CXXOperatorCallExpr>(CE)) {
      const auto *OC = cast<CXXOperatorCallExpr>(CE);
      if (OC->getOperator() == OO_EqualEqual ||
          OC->getOperator() == OO_ExclaimEqual)
        return HandleEffect::None;
      return HandleEffect::Escapes;
    }
    if (CE->getCallee()->IgnoreParenImpCasts() == Child)
      return HandleEffect::None;
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD)
      return HandleEffect::Escapes;
    bool First =
        CE->getNumArgs() > 0 && CE->getArg(0)->IgnoreParenImpCasts() ==
                                    cast<Expr>(Child)->IgnoreParenImpCasts();
    if (First && Api.JoinFunctions.matches(FD))
      return HandleEffect::Joins;
    if (First && Api.DetachFunctions.matches(FD))
      return HandleEffect::Detaches;
    if (isNeutralThreadApi(FD) && !Api.SpawnFunctions.matches(FD))
      return HandleEffect::None;
    // A function of this TU that joins or detaches what it is given
    // (stop_and_join(t)); any other callee takes it over.
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      if (CE->getArg(I)->IgnoreParenImpCasts() ==
          cast<Expr>(Child)->IgnoreParenImpCasts())
        return calleeEffectOnParam(FD, I, Api);
    return HandleEffect::Escapes; // moved, forwarded, passed on
  }

  if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
    if (BO->isComparisonOp() || BO->isLogicalOp())
      return HandleEffect::None;
    return HandleEffect::Escapes; // assigned to or stored away
  }
  if (isa<IfStmt>(P) || isa<WhileStmt>(P) || isa<ConditionalOperator>(P))
    return HandleEffect::None; // if (handle)
  // Constructed into something, returned, stored in an initializer, ...
  return HandleEffect::Escapes;
}

HandleEffect classifyQThreadRef(const Expr *Ref, ParentMap &PM) {
  const Stmt *P = PM.getParent(Ref);
  while (P && (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P)))
    P = PM.getParent(P);
  if (!P)
    return HandleEffect::None;
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
    if (!MD || !MD->getIdentifier())
      return HandleEffect::Escapes;
    llvm::StringRef N = MD->getName();
    if (N == "wait")
      return HandleEffect::Joins;
    static const char *const Neutral[] = {"start",
                                          "quit",
                                          "exit",
                                          "requestInterruption",
                                          "isRunning",
                                          "isFinished",
                                          "isInterruptionRequested",
                                          "setPriority",
                                          "priority",
                                          "setObjectName",
                                          "objectName",
                                          "setStackSize",
                                          "stackSize",
                                          "loopLevel",
                                          "eventDispatcher"};
    for (const char *X : Neutral)
      if (N == X)
        return HandleEffect::None;
    return HandleEffect::Escapes;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(P))
    if (BO->isComparisonOp() || BO->isLogicalOp())
      return HandleEffect::None;
  if (isa<IfStmt>(P))
    return HandleEffect::None;
  return HandleEffect::Escapes; // connect(t, ...), delete t, moveToThread(&t)
}

EdgeVerdict ThreadHandleModel::edgeVerdict(const BranchEdge &E) {
  return Edges ? Edges->verdict(E) : defaultEdgeVerdict(E);
}

bool ThreadHandleModel::isStableCondition(const Expr *Cond) {
  return Edges && Edges->isStable(Cond);
}

ResourceModel::Effect ThreadHandleModel::effectOf(const Stmt *S) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (DRE->getDecl() != Handle)
      return NoEffect;
    if (Acquire) {
      unsigned Depth = 0;
      for (const Stmt *P = PM.getParent(DRE); P && Depth < 4;
           P = PM.getParent(P), ++Depth)
        if (P == Acquire)
          return NoEffect;
    }
    switch (QtThread ? classifyQThreadRef(DRE, PM)
                     : classifyHandleRef(DRE, PM, Api)) {
    case HandleEffect::None:
      return NoEffect;
    case HandleEffect::Joins:
    case HandleEffect::Detaches:
      return Releases;
    case HandleEffect::Escapes:
      return Escapes;
    }
  }
  if (const auto *L = dyn_cast<LambdaExpr>(S))
    if (capturesVar(L, Handle))
      return Escapes; // the lambda may join it, or own it
  // A call that never returns (ProgramFacts::neverReturns: an endless
  // loop, a main loop nothing quits): the scope is never left, so whether
  // the thread is still joinable there is moot.
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      if (ProgramFacts::get(Callee->getASTContext()).neverReturns(Callee))
        return Releases;
  return NoEffect;
}

/// \p S starts a thread inside the try block of a `try` (in this function)
/// whose handler catches what a failed start throws (std::system_error, a
/// base of it, or `...`): the code expects the start to fail, so it may.
static bool startFailureCaught(const Stmt *S, ParentMap &PM,
                               const ThreadApi &Api) {
  const auto *CCE = dyn_cast<CXXConstructExpr>(S);
  if (!CCE || !threadStart(CCE, Api))
    return false;
  static const NameMatcher Caught(
      {"std::system_error", "std::runtime_error", "std::exception"});
  const Stmt *Child = S;
  for (const Stmt *P = PM.getParent(S); P; Child = P, P = PM.getParent(P)) {
    if (isa<LambdaExpr>(P))
      return false;
    const auto *Try = dyn_cast<CXXTryStmt>(P);
    if (!Try || Child != Try->getTryBlock())
      continue;
    for (unsigned I = 0, N = Try->getNumHandlers(); I < N; ++I) {
      QualType T = Try->getHandler(I)->getCaughtType();
      if (T.isNull())
        return true; // catch (...)
      const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
      if (RD && Caught.matches(RD))
        return true;
    }
  }
  return false;
}

bool ThreadHandleModel::mayThrow(const Stmt *S) {
  return startFailureCaught(S, PM, Api) || callMayThrow(S, 0);
}

bool ThreadHandleModel::callMayThrow(const Stmt *S, unsigned Depth) {
  if (!mayThrowDefault(S))
    return false;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
    if (OC->getNumArgs() > 0)
      if (const CXXRecordDecl *RD = OC->getArg(0)
                                        ->getType()
                                        .getNonReferenceType()
                                        ->getAsCXXRecordDecl())
        if (Api.NonThrowingFunctions.matches(RD))
          return false; // std::cout << ..., std::cin >> ...
  const FunctionDecl *Callee = nullptr;
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    Callee = CE->getDirectCallee();
    if (Callee) {
      if (Api.NonThrowingFunctions.matches(Callee))
        return false;
      if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee))
        if (Api.NonThrowingFunctions.matches(MD->getParent()))
          return false;
    }
  } else if (const auto *CCE = dyn_cast<CXXConstructExpr>(S)) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    // Literal values (durations, small value types): not worth a path.
    if (Ctor->isConstexpr() ||
        Api.NonThrowingFunctions.matches(Ctor->getParent()))
      return false;
    Callee = Ctor;
  }
  if (!Callee)
    return true; // a call through a pointer: unknown
  return bodyMayThrow(Callee, Depth);
}

bool ThreadHandleModel::bodyMayThrow(const FunctionDecl *FD, unsigned Depth) {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def->getBody() || Def->isVirtualAsWritten() ||
      (isa<CXXMethodDecl>(Def) && cast<CXXMethodDecl>(Def)->isVirtual()))
    return true; // not visible, or an override may throw
  if (Depth >= 3)
    return true;
  if (ThrowCache) {
    auto It = ThrowCache->find(Def);
    if (It != ThrowCache->end())
      return It->second;
    (*ThrowCache)[Def] = true; // recursion: assume the worst meanwhile
  }
  bool Throws = false;
  unsigned Budget = 2000;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *I : Ctor->inits())
      if (I->getInit() &&
          isa<CXXConstructExpr>(I->getInit()->IgnoreImplicit()) &&
          callMayThrow(I->getInit()->IgnoreImplicit(), Depth + 1))
        Throws = true;
  if (!Throws)
    Throws = anyStmt(
        Def->getBody(),
        [&](const Stmt *S) {
          if (--Budget == 0 || isa<CXXThrowExpr>(S))
            return true;
          return (isa<CallExpr>(S) || isa<CXXConstructExpr>(S)) &&
                 callMayThrow(S, Depth + 1);
        },
        LambdaPolicy::Skip);
  if (ThrowCache)
    (*ThrowCache)[Def] = Throws;
  return Throws;
}

ThreadContainerUse classifyContainerRef(const Expr *Ref, ParentMap &PM) {
  const Stmt *P = PM.getParentIgnoreParenImpCasts(const_cast<Expr *>(Ref));
  if (!P)
    return ThreadContainerUse::None;
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
    if (!MD || !MD->getIdentifier())
      return ThreadContainerUse::Handles;
    llvm::StringRef N = MD->getName();
    if (N == "push_back" || N == "emplace_back" || N == "emplace" ||
        N == "emplace_front" || N == "push_front" || N == "insert" ||
        N == "emplace_hint" || N == "try_emplace")
      return ThreadContainerUse::Adds;
    if (N == "clear" || N == "erase" || N == "pop_back" || N == "pop_front")
      return ThreadContainerUse::Destroys;
    if (N == "size" || N == "empty" || N == "reserve" || N == "capacity" ||
        N == "max_size" || N == "shrink_to_fit")
      return ThreadContainerUse::None;
    return ThreadContainerUse::Handles;
  }
  return ThreadContainerUse::Handles;
}

ResourceModel::Effect ThreadContainerModel::effectOf(const Stmt *S) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (DRE->getDecl() != V)
      return NoEffect;
    // Any use but adding or removing may drive a join loop (size(),
    // begin(), operator[]): count it as handled.
    ThreadContainerUse U = classifyContainerRef(DRE, PM);
    return U == ThreadContainerUse::Adds || U == ThreadContainerUse::Destroys
               ? NoEffect
               : Releases;
  }
  if (const auto *L = dyn_cast<LambdaExpr>(S))
    if (capturesVar(L, V))
      return Escapes;
  return NoEffect;
}

bool joinsSomeElement(const Stmt *Root, const ThreadApi &Api) {
  auto JoinsOrDetaches = [&](const CXXMethodDecl *MD, bool OrJoinable) {
    return MD && MD->getIdentifier() &&
           (Api.JoinMethods.count(MD->getName()) ||
            Api.DetachMethods.count(MD->getName()) ||
            (OrJoinable && MD->getName() == "joinable")) &&
           Api.ThreadTypes.matches(MD->getParent());
  };
  return anyStmt(
      Root,
      [&](const Stmt *S) {
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
          if (JoinsOrDetaches(MC->getMethodDecl(), true)) {
            const Expr *Obj = MC->getImplicitObjectArgument();
            const auto *DRE =
                Obj ? dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts())
                    : nullptr;
            if (!isPlainLocal(DRE ? dyn_cast<VarDecl>(DRE->getDecl())
                                  : nullptr))
              return true;
          }
        // std::mem_fn(&std::thread::join)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
          return JoinsOrDetaches(dyn_cast<CXXMethodDecl>(DRE->getDecl()),
                                 false);
        return false;
      },
      LambdaPolicy::Enter);
}

bool ownsNewQThread(const Expr *Init, ASTContext &Ctx) {
  Init = ignoreTransparent(Init);
  if (const auto *New = dyn_cast_or_null<CXXNewExpr>(Init)) {
    if (New->getNumPlacementArgs() != 0)
      return false;
    if (const CXXConstructExpr *CE = New->getConstructExpr())
      for (const Expr *A : CE->arguments())
        if (A->getType()->isPointerType() && !isa<CXXDefaultArgExpr>(A) &&
            !A->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
          return false; // a parent QObject deletes it
    return true;
  }
  if (const auto *CE = dyn_cast_or_null<CallExpr>(Init))
    return calleeName(CE) == "create";
  return false;
}

const VarDecl *resultVariable(const CallExpr *Call, ParentMap &PM) {
  const Stmt *P = PM.getParentIgnoreParenImpCasts(const_cast<CallExpr *>(Call));
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(P)) {
    const VarDecl *Result = nullptr;
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->getInit() && VD->getInit()->IgnoreParenImpCasts() == Call)
          Result = VD;
    return Result;
  }
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P))
    if (BO->getOpcode() == BO_Assign &&
        BO->getRHS()->IgnoreParenImpCasts() == Call)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

AttrDetach attrDetachState(const Expr *Attr, const Stmt *Body,
                           ASTContext &Ctx) {
  if (!Attr)
    return AttrDetach::Joinable;
  const Expr *E = Attr->IgnoreParenImpCasts();
  if (E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return AttrDetach::Joinable;
  const auto *UO = dyn_cast<UnaryOperator>(E);
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return AttrDetach::Unknown;
  const auto *DRE =
      dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V || !V->isLocalVarDecl() || V->isStaticLocal())
    return AttrDetach::Unknown;
  AttrDetach State = AttrDetach::Joinable;
  bool Seen = false, Conflict = false;
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        const auto *CE = dyn_cast<CallExpr>(S);
        if (!CE || calleeName(CE) != "pthread_attr_setdetachstate" ||
            CE->getNumArgs() != 2 || !refersTo(CE->getArg(0), V))
          return Walk::Continue;
        AttrDetach This = AttrDetach::Unknown;
        const auto *C =
            dyn_cast<DeclRefExpr>(CE->getArg(1)->IgnoreParenImpCasts());
        if (const auto *EC =
                C ? dyn_cast<EnumConstantDecl>(C->getDecl()) : nullptr) {
          if (EC->getName() == "PTHREAD_CREATE_DETACHED")
            This = AttrDetach::Detached;
          else if (EC->getName() == "PTHREAD_CREATE_JOINABLE")
            This = AttrDetach::Joinable;
        }
        if (Seen && This != State) {
          Conflict = true;
          return Walk::Stop;
        }
        State = This;
        Seen = true;
        return Walk::Continue;
      },
      LambdaPolicy::Enter);
  if (Conflict)
    return AttrDetach::Unknown;
  return State;
}

} // namespace leaklib
} // namespace clang
