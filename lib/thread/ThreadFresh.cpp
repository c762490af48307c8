//===--- ThreadFresh.cpp - leak-tidy --------------------------------------===//
//
// Threads the check meets in forms that are not a spawn in the function
// itself: a thread returned by a function that starts it (the caller holds
// it, FunctionSummaries::returnsFresh), and a dependent start in a template's
// pattern (analysed once, as the pattern; instantiations are skipped).
//
//===----------------------------------------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/VarUses.h"
#include "lib/program/FunctionSummaries.h"
#include "lib/thread/ThreadBody.h"
#include "lib/thread/ThreadFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang {
namespace leaklib {

namespace {
constexpr unsigned MaxFreshDepth = 3;

/// `pthread_create(&V, nullptr, ...)` (or a joinable attribute): \p Ref, a
/// reference to V, is the handle argument of a spawn that starts a joinable
/// thread.
bool isJoinableSpawnInto(const Expr *Ref, ParentMap &PM, const Stmt *Body,
                         const ThreadApi &Api) {
  const Stmt *P = PM.getParentIgnoreParenImpCasts(const_cast<Expr *>(Ref));
  const auto *UO = dyn_cast_or_null<UnaryOperator>(P);
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return false;
  const auto *Call = dyn_cast_or_null<CallExpr>(
      PM.getParentIgnoreParenImpCasts(const_cast<UnaryOperator *>(UO)));
  if (!Call || !Call->getDirectCallee() ||
      !Api.SpawnFunctions.matches(Call->getDirectCallee()) ||
      Call->getArg(0)->IgnoreParenImpCasts() != UO)
    return false;
  if (Call->getNumArgs() < 4)
    return true; // uv_thread_create(&t, fn, arg)
  ASTContext &Ctx = Call->getDirectCallee()->getASTContext();
  return attrDetachState(Call->getArg(1), Body, Ctx) == AttrDetach::Joinable;
}

bool returnsFresh(const FunctionDecl *FD, const ThreadApi &Api, unsigned Depth);

/// The local \p V of \p Def is started into (its initializer starts a
/// thread, or a joinable spawn takes its address) and otherwise only
/// returned or read (tests, comparisons): nobody else holds the thread.
bool onlyStartedAndReturned(const VarDecl *V, const FunctionDecl *Def,
                            const ThreadApi &Api, unsigned Depth) {
  if (!isPlainLocal(V))
    return false;
  const Stmt *Body = Def->getBody();
  ParentMap PM(const_cast<Stmt *>(Body));
  const Expr *Init = V->getInit();
  const auto *InitCall =
      dyn_cast_or_null<CallExpr>(Init ? Init->IgnoreParenImpCasts() : nullptr);
  bool Started =
      (Init && threadStart(Init, Api)) ||
      (InitCall && InitCall->getDirectCallee() &&
       (Api.SpawnReturningFunctions.matches(InitCall->getDirectCallee()) ||
        returnsFresh(InitCall->getDirectCallee(), Api, Depth + 1)));
  bool Other = anyUseOf(V, Body, [&](const DeclRefExpr *DRE) {
    if (isJoinableSpawnInto(DRE, PM, Body, Api)) {
      Started = true;
      return false;
    }
    const Stmt *P = DRE;
    do
      P = PM.getParent(P);
    while (P && isa<ImplicitCastExpr, ParenExpr, CXXConstructExpr,
                    MaterializeTemporaryExpr, ExprWithCleanups>(P));
    if (isa_and_nonnull<ReturnStmt>(P))
      return false;
    return classifyHandleRef(DRE, PM, Api) != HandleEffect::None;
  });
  return Started && !Other;
}

bool returnsFresh(const FunctionDecl *FD, const ThreadApi &Api,
                  unsigned Depth) {
  const FunctionDecl *Def = nullptr;
  if (FD && !FD->hasBody(Def))
    return Depth <= MaxFreshDepth && freshThreadElsewhere(FD, Api);
  if (Depth > MaxFreshDepth || !FD || !Def ||
      !isThreadHandleType(FD->getReturnType(), Api) ||
      Def->isDependentContext())
    return false;
  // A local returned is judged by its uses, not by its initializer alone
  // (returnsFresh asks about the initializer when the local is refused).
  llvm::SmallPtrSet<const Expr *, 4> Refused;
  return FunctionSummaries::get(FD->getASTContext())
      .returnsFresh(Def, [&](const Expr *E) {
        E = ignoreTransparent(E, PeelValue);
        if (!E || Refused.count(E))
          return false;
        if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
          const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
          if (V && onlyStartedAndReturned(V, Def, Api, Depth))
            return true;
          if (V && V->getInit())
            Refused.insert(ignoreTransparent(V->getInit(), PeelValue));
          return false;
        }
        if (threadStart(E, Api))
          return true;
        const auto *CE = dyn_cast<CallExpr>(E);
        const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
        return Callee && (Api.SpawnReturningFunctions.matches(Callee) ||
                          returnsFresh(Callee, Api, Depth + 1));
      });
}
/// Whether \p Body calls something a template's pattern cannot resolve (a
/// member of a dependent type, an overload found at instantiation): it may
/// wait, stop or never return -- the endless form stays silent.
bool callsDependent(const Stmt *Body) {
  return !Body ||
         anyStmt(
             Body,
             [](const Stmt *S) {
               if (isa<CXXDependentScopeMemberExpr, UnresolvedMemberExpr,
                       UnresolvedLookupExpr, DependentScopeDeclRefExpr,
                       CXXUnresolvedConstructExpr>(S))
                 return true;
               const auto *CE = dyn_cast<CallExpr>(S);
               return CE && !CE->getDirectCallee() &&
                      CE->getCallee()->isTypeDependent();
             },
             LambdaPolicy::Enter);
}
} // namespace

bool isThreadHandleType(QualType T, const ThreadApi &Api) {
  if (T.isNull() || T->isDependentType())
    return false;
  if (threadRecord(T, Api))
    return !T->isReferenceType();
  if (T->isPointerType()) {
    const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
    return RD && (RD->getName() == "_GThread" || RD->getName() == "GThread");
  }
  std::string S = T.getUnqualifiedType().getAsString();
  return S == "pthread_t" || S == "uv_thread_t" || S == "thrd_t";
}

bool returnsFreshThread(const FunctionDecl *FD, const ThreadApi &Api) {
  return returnsFresh(FD, Api, 0);
}

ThreadFindings ThreadFacts::freshCall(const CallExpr *Call,
                                      const FunctionDecl *FD, ASTContext &Ctx) {
  ThreadFindings Out;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !FD->getBody() || Api.SpawnFunctions.matches(Callee) ||
      Api.SpawnReturningFunctions.matches(Callee) ||
      !returnsFreshThread(Callee, Api))
    return Out;
  FunctionCFG *F = FunctionCFG::get(FD, FD->getBody(), Ctx);
  if (!F)
    return Out;
  ParentMap &PM = F->parents();
  const CXXRecordDecl *Thread = threadRecord(Callee->getReturnType(), Api);
  const VarDecl *Holder = nullptr;
  const Stmt *Acquire = Call;
  if (Thread) {
    StartContext SC = startContext(Call, Ctx, Api);
    Holder = SC.Var;
    if (SC.Assign)
      Acquire = SC.Assign;
  } else {
    if (droppedHandle(Call, PM, Out))
      return Out;
    Holder = resultVariable(Call, PM);
  }
  if (!isPlainLocal(Holder) || Holder->getDeclContext() != FD ||
      (Thread && !threadRecord(Holder->getType(), Api)))
    return Out; // stored elsewhere: handed off
  Handle H{Acquire, Holder, FD, Thread, Callee->getNameAsString()};
  H.Fresh = true;
  handlePath(H, Ctx, Out);
  return Out;
}

ThreadFindings ThreadFacts::dependentDetached(const Expr *Start,
                                              const VarDecl *Var,
                                              const FunctionDecl *FD,
                                              ASTContext &Ctx) {
  ThreadFindings Out;
  const Stmt *Body = FD->getBody();
  const Expr *Callable = nullptr;
  if (const auto *U = dyn_cast_or_null<CXXUnresolvedConstructExpr>(Start))
    Callable = U->getNumArgs() ? U->getArg(0) : nullptr;
  else if (const auto *PL = dyn_cast_or_null<ParenListExpr>(Start))
    Callable = PL->getNumExprs() ? PL->getExpr(0) : nullptr;
  if (!Body || !Callable)
    return Out;
  if (!Var) {
    StartContext SC = startContext(Start, Ctx, Api);
    if (SC.Detach)
      detached(Start, SC.Detach, Callable, FD, Ctx, Out);
    Var = SC.Var;
  }
  if (!isPlainLocal(Var) || !threadRecord(Var->getType(), Api))
    return Out;
  ParentMap PM(const_cast<Stmt *>(Body));
  if (const Stmt *Detach = findDetach(Var, Body, PM, Api))
    detached(Start, Detach, Callable, FD, Ctx, Out);
  return Out;
}

ThreadFindings ThreadFacts::dependentStart(const Expr *Start,
                                           const VarDecl *Var,
                                           const FunctionDecl *FD,
                                           ASTContext &Ctx) {
  ThreadFindings Out = dependentDetached(Start, Var, FD, Ctx);
  const Expr *Callable = nullptr;
  if (const auto *U = dyn_cast_or_null<CXXUnresolvedConstructExpr>(Start))
    Callable = U->getNumArgs() ? U->getArg(0) : nullptr;
  else if (const auto *PL = dyn_cast_or_null<ParenListExpr>(Start))
    Callable = PL->getNumExprs() ? PL->getExpr(0) : nullptr;
  if (callsDependent(callableBody(Callable)))
    llvm::erase_if(Out, [](const ThreadFinding &F) {
      return F.Kind == ThreadLeak::DetachedEndless;
    });
  return Out;
}

} // namespace leaklib
} // namespace clang
