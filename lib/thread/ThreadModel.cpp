//===--- ThreadModel.cpp - leak-tidy -------------------------------------===//
#include "lib/thread/ThreadModel.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/VarUses.h"
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
  llvm::SmallVector<const Stmt *, 16> Work{Def->getBody()};
  bool Detaches = false;
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      llvm::StringRef N = calleeName(CE);
      if (N.contains("terminate"))
        return true;
      if (N == "detach")
        Detaches = true;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
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
  if (!Containers.matches(Spec))
    return nullptr;
  const TemplateArgument &A = Spec->getTemplateArgs()[0];
  if (A.getKind() != TemplateArgument::Type)
    return nullptr;
  return threadRecord(A.getAsType(), Api);
}

/// Whether a C function that is part of a thread API and only inspects or
/// tunes the handle (pthread_setname_np, pthread_equal, g_thread_ref, ...).
static bool isNeutralThreadApi(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() || !FD->isExternC())
    return false;
  llvm::StringRef N = FD->getName();
  return N.starts_with("pthread_") || N.starts_with("g_thread_") ||
         N.starts_with("uv_thread_");
}

HandleEffect classifyHandleRef(const Expr *Ref, const ValueDecl * /*V*/,
                               ParentMap &PM, const ThreadApi &Api) {
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

ResourceModel::Effect ThreadHandleModel::effectOf(const Stmt *S) {
  if (!FailureBranches.empty())
    for (const Stmt *P = S; P; P = PM.getParent(P))
      if (llvm::is_contained(FailureBranches, P))
        return Escapes; // the spawn failed here: no thread to join
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
                     : classifyHandleRef(DRE, Handle, PM, Api)) {
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
  return NoEffect;
}

bool ThreadHandleModel::mayThrow(const Stmt *S) { return callMayThrow(S, 0); }

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
  llvm::SmallVector<const Stmt *, 64> Work{Def->getBody()};
  while (!Throws && !Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (--Budget == 0 || isa<CXXThrowExpr>(S)) {
      Throws = true;
      break;
    }
    if ((isa<CallExpr>(S) || isa<CXXConstructExpr>(S)) &&
        callMayThrow(S, Depth + 1)) {
      Throws = true;
      break;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  if (ThrowCache)
    (*ThrowCache)[Def] = Throws;
  return Throws;
}

ThreadContainerUse classifyContainerRef(const Expr *Ref, ParentMap &PM) {
  const Stmt *Child = Ref;
  const Stmt *P = PM.getParent(Ref);
  while (P && (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P))) {
    Child = P;
    P = PM.getParent(P);
  }
  if (!P)
    return ThreadContainerUse::None;
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
    if (!MD || !MD->getIdentifier())
      return ThreadContainerUse::Handles;
    llvm::StringRef N = MD->getName();
    if (N == "push_back" || N == "emplace_back" || N == "emplace" ||
        N == "emplace_front" || N == "push_front" || N == "insert" ||
        N == "emplace_hint")
      return ThreadContainerUse::Adds;
    if (N == "clear" || N == "erase" || N == "pop_back" || N == "pop_front")
      return ThreadContainerUse::Destroys;
    if (N == "size" || N == "empty" || N == "reserve" || N == "capacity" ||
        N == "max_size" || N == "shrink_to_fit")
      return ThreadContainerUse::None;
    return ThreadContainerUse::Handles;
  }
  (void)Child;
  return ThreadContainerUse::Handles;
}

bool joinsSomeElement(const Stmt *Root, const ThreadApi &Api) {
  llvm::SmallVector<const Stmt *, 32> Work{Root};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (MD && MD->getIdentifier() &&
          (Api.JoinMethods.count(MD->getName()) ||
           Api.DetachMethods.count(MD->getName()) ||
           MD->getName() == "joinable") &&
          Api.ThreadTypes.matches(MD->getParent())) {
        const Expr *Obj = MC->getImplicitObjectArgument();
        const auto *DRE =
            Obj ? dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()) : nullptr;
        const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
        bool PlainLocal = VD && VD->hasLocalStorage() &&
                          !VD->getType()->isReferenceType() &&
                          !isa<ParmVarDecl>(VD);
        if (!PlainLocal)
          return true;
      }
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *MD = dyn_cast<CXXMethodDecl>(DRE->getDecl()))
        if (MD->getIdentifier() &&
            (Api.JoinMethods.count(MD->getName()) ||
             Api.DetachMethods.count(MD->getName())) &&
            Api.ThreadTypes.matches(MD->getParent()))
          return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

std::vector<const Stmt *> spawnFailureBranches(const Stmt *Spawn,
                                               const ValueDecl *Result,
                                               bool PointerResult,
                                               const Stmt *Body) {
  std::vector<const Stmt *> Out;
  auto IsResult = [&](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (E == Spawn)
      return true;
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) // (rc = create(...))
      if (BO->getOpcode() == BO_Assign &&
          BO->getRHS()->IgnoreParenImpCasts() == Spawn)
        return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    return Result && DRE && DRE->getDecl() == Result;
  };
  auto IsZero = [](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (isa<CXXNullPtrLiteralExpr>(E) || isa<GNUNullExpr>(E))
      return true;
    if (const auto *IL = dyn_cast<IntegerLiteral>(E))
      return IL->getValue() == 0;
    return false;
  };
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    for (const Stmt *C : S->children())
      Work.push_back(C);
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If || !If->getCond())
      continue;
    const Expr *C = If->getCond()->IgnoreParenImpCasts();
    bool Negated = false;
    while (const auto *UO = dyn_cast<UnaryOperator>(C)) {
      if (UO->getOpcode() != UO_LNot)
        break;
      Negated = !Negated;
      C = UO->getSubExpr()->IgnoreParenImpCasts();
    }
    // Does the condition hold when the result is "non-zero"?
    std::optional<bool> TrueWhenNonZero;
    if (IsResult(C)) {
      TrueWhenNonZero = true;
    } else if (const auto *BO = dyn_cast<BinaryOperator>(C)) {
      const Expr *L = BO->getLHS(), *R = BO->getRHS();
      if (IsResult(R))
        std::swap(L, R);
      if (IsResult(L) && (IsZero(R) || BO->isRelationalOp())) {
        switch (BO->getOpcode()) {
        case BO_NE:
        case BO_LT: // rc < 0, the libuv convention for errors
        case BO_GT:
          TrueWhenNonZero = true;
          break;
        case BO_EQ:
          TrueWhenNonZero = false;
          break;
        default:
          break;
        }
      }
    }
    if (!TrueWhenNonZero)
      continue;
    bool ThenIsNonZero = *TrueWhenNonZero != Negated;
    // For a pointer, non-null is success; for a status, non-zero is failure.
    bool ThenIsFailure = PointerResult ? !ThenIsNonZero : ThenIsNonZero;
    const Stmt *Failure = ThenIsFailure ? If->getThen() : If->getElse();
    if (Failure)
      Out.push_back(Failure);
  }
  return Out;
}

static const Expr *stripCallable(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MTE->getSubExpr();
      continue;
    }
    if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = BT->getSubExpr();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_AddrOf) {
        E = UO->getSubExpr();
        continue;
      }
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(E))
      if (CCE->getNumArgs() == 1 &&
          CCE->getConstructor()->isCopyOrMoveConstructor()) {
        E = CCE->getArg(0);
        continue;
      }
    break;
  }
  return E;
}

const Stmt *callableBody(const Expr *Callable) {
  const Expr *E = stripCallable(Callable);
  if (!E)
    return nullptr;
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return L->getBody();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
      const FunctionDecl *Def = nullptr;
      if (FD->hasBody(Def))
        return Def->getBody();
      return nullptr;
    }
    // A local lambda object: auto work = [] { ... }; std::thread t(work);
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->isLocalVarDecl() && VD->getInit())
        if (const auto *L = dyn_cast<LambdaExpr>(stripCallable(VD->getInit())))
          return L->getBody();
  }
  return nullptr;
}

namespace {
/// Locals declared inside \p Body and whether each is only ever read.
class LocalFacts {
public:
  explicit LocalFacts(const Stmt *Body) { collect(Body); }
  bool isUnchangedLocal(const VarDecl *V) const {
    return Declared.count(V) && !Changed.count(V);
  }

private:
  llvm::DenseSet<const VarDecl *> Declared, Changed;
  void collect(const Stmt *Root) {
    llvm::SmallVector<std::pair<const Stmt *, const Stmt *>, 32> Work{
        {Root, nullptr}};
    while (!Work.empty()) {
      auto [S, Parent] = Work.pop_back_val();
      if (!S)
        continue;
      if (const auto *DS = dyn_cast<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (VD->isLocalVarDecl() && !VD->isStaticLocal() &&
                !VD->getType()->isReferenceType())
              Declared.insert(VD);
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
          const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(Parent);
          if (!Cast || Cast->getCastKind() != CK_LValueToRValue)
            Changed.insert(VD);
        }
      if (const auto *L = dyn_cast<LambdaExpr>(S)) {
        // A capture by reference may change it; captures by copy read it.
        for (const LambdaCapture &C : L->captures())
          if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
            if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
              Changed.insert(VD);
        continue;
      }
      for (const Stmt *C : S->children())
        Work.push_back({C, S});
    }
  }
};

/// The condition reads only locals of the body that nothing ever changes
/// (and constants): `bool running = true; while (running) { ... }`.
bool conditionNeverChanges(const Stmt *Loop, const LocalFacts &Locals) {
  const Expr *Cond = loopCondition(Loop);
  if (!Cond || readsSharedState(Cond))
    return false;
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    if (F->getInc())
      return false;
  bool SawVar = false;
  llvm::SmallVector<const Stmt *, 16> Work{Cond};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        if (!Locals.isUnchangedLocal(VD))
          return false;
        SawVar = true;
      }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return SawVar;
}
} // namespace

const Stmt *findEndlessLoop(const Stmt *Body, ASTContext &Ctx,
                            const NameMatcher &WaitFunctions) {
  if (!Body)
    return nullptr;
  LocalFacts Locals(Body);
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  unsigned Budget = 20000;
  while (!Work.empty() && --Budget) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (isLoop(S) &&
        (isEndlessByCondition(S, Ctx) || conditionNeverChanges(S, Locals)) &&
        !findLoopExits(S).any() && !waitsEachTurn(S, WaitFunctions))
      return S;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return nullptr;
}

static bool containsCall(const Stmt *S) {
  if (!S)
    return false;
  if (isa<CallExpr>(S) || isa<CXXConstructExpr>(S))
    return true;
  for (const Stmt *C : S->children())
    if (containsCall(C))
      return true;
  return false;
}

bool isUnboundedLoop(const Stmt *Loop, ASTContext &Ctx) {
  if (!isLoop(Loop) || isa<CXXForRangeStmt>(Loop))
    return false;
  if (constantTripCount(Loop, Ctx))
    return false;
  if (isEndlessByCondition(Loop, Ctx))
    return true;
  const Expr *Cond = loopCondition(Loop);
  if (!Cond)
    return false;
  if (containsCall(Cond))
    return true; // while (accept(...)), while (queue.pop(item)), ...
  // A comparison is a bound we cannot judge (i < n, n-- > 0): stay silent.
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond))
    if (BO->isComparisonOp() || BO->isLogicalOp())
      return false;
  // while (running), while (!stop): a flag, not a count.
  return readsSharedState(Cond);
}

const Stmt *enclosingLoop(const Stmt *S, ParentMap &PM, const Stmt *Root) {
  for (const Stmt *P = PM.getParent(S); P && P != Root; P = PM.getParent(P)) {
    if (isa<LambdaExpr>(P))
      return nullptr;
    if (isLoop(P)) {
      // Only when S is in the body, not in the condition or init.
      const Stmt *B = loopBody(P);
      for (const Stmt *Q = S; Q && Q != P; Q = PM.getParent(Q))
        if (Q == B)
          return P;
      return nullptr;
    }
  }
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
  bool Seen = false;
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (calleeName(CE) == "pthread_attr_setdetachstate" &&
          CE->getNumArgs() == 2 && refersTo(CE->getArg(0), V)) {
        AttrDetach This = AttrDetach::Unknown;
        const Expr *Arg = CE->getArg(1)->IgnoreParenImpCasts();
        if (const auto *C = dyn_cast<DeclRefExpr>(Arg)) {
          if (const auto *EC = dyn_cast<EnumConstantDecl>(C->getDecl())) {
            if (EC->getName() == "PTHREAD_CREATE_DETACHED")
              This = AttrDetach::Detached;
            else if (EC->getName() == "PTHREAD_CREATE_JOINABLE")
              This = AttrDetach::Joinable;
          }
        }
        if (Seen && This != State)
          return AttrDetach::Unknown;
        State = This;
        Seen = true;
      }
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return State;
}

} // namespace leaklib
} // namespace clang
