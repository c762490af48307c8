//===--- ThreadFacts.cpp - leak-tidy -------------------------------------===//
#include "lib/thread/ThreadFacts.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/VarUses.h"
#include "lib/program/FunctionSummaries.h"
#include "lib/program/ProgramFacts.h"
#include "lib/thread/ThreadBody.h"
#include "lib/thread/ThreadMembers.h"
#include "lib/thread/ThreadPaths.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/Lex/Lexer.h"

namespace clang {
namespace leaklib {

StartContext startContext(const Expr *Start, ASTContext &Ctx,
                          const ThreadApi &Api) {
  StartContext R;
  DynTypedNode N = DynTypedNode::create(*Start);
  for (unsigned Depth = 0; Depth < 12; ++Depth) {
    auto Parents = ParentIndex::get(Ctx).parents(N);
    if (Parents.empty())
      return R;
    const DynTypedNode &P = Parents[0];
    if (const auto *VD = P.get<VarDecl>()) {
      if (isPlainLocal(VD))
        R.Var = VD;
      return R;
    }
    const auto *S = P.get<Stmt>();
    if (!S)
      return R;
    if (isa<ExprWithCleanups>(S) || isa<MaterializeTemporaryExpr>(S) ||
        isa<CXXBindTemporaryExpr>(S) || isa<ImplicitCastExpr>(S) ||
        isa<CXXFunctionalCastExpr>(S) || isa<ParenExpr>(S) ||
        (isa<InitListExpr>(S) && cast<InitListExpr>(S)->getNumInits() == 1)) {
      N = P;
      continue;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      if (CE->getNumArgs() == 1 && CE->getConstructor()->isMoveConstructor()) {
        N = P;
        continue;
      }
    if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      auto GP = ParentIndex::get(Ctx).parents(*ME);
      const auto *MC = GP.empty() ? nullptr : GP[0].get<CXXMemberCallExpr>();
      const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
      if (MC && MD && MD->getIdentifier() &&
          Api.DetachMethods.count(MD->getName()))
        R.Detach = MC;
      return R;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
        const auto *DRE =
            dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts());
        const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
        if (isPlainLocal(VD)) {
          R.Var = VD;
          R.Assign = OC;
        }
      }
      return R;
    }
    return R;
  }
  return R;
}

const Stmt *findDetach(const VarDecl *V, const Stmt *Body, ParentMap &PM,
                       const ThreadApi &Api) {
  const Stmt *Found = nullptr;
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        if (DRE && DRE->getDecl() == V &&
            classifyHandleRef(DRE, PM, Api) == HandleEffect::Detaches &&
            (!Found || DRE->getBeginLoc() < Found->getBeginLoc()))
          Found = DRE;
        return Walk::Continue;
      },
      LambdaPolicy::Enter);
  return Found;
}

bool anyUseOf(const VarDecl *V, const Stmt *Body,
              llvm::function_ref<bool(const DeclRefExpr *)> Pred) {
  return anyStmt(
      Body,
      [&](const Stmt *S) {
        if (const auto *L = dyn_cast<LambdaExpr>(S))
          return capturesVar(L, V);
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        return DRE && DRE->getDecl() == V && Pred(DRE);
      },
      LambdaPolicy::Enter);
}

bool onlyJoined(const VarDecl *V, const Stmt *Body, ParentMap &PM,
                const ThreadApi &Api) {
  return !anyUseOf(V, Body, [&](const DeclRefExpr *DRE) {
    HandleEffect E = classifyHandleRef(DRE, PM, Api);
    return E == HandleEffect::Detaches || E == HandleEffect::Escapes;
  });
}

ThreadFindings ThreadFacts::threadObject(const CXXConstructExpr *Ctor,
                                         const FunctionDecl *FD,
                                         ASTContext &Ctx) {
  ThreadFindings Out;
  if (threadStart(Ctor, Api) != Ctor || !FD->getBody())
    return Out;
  StartContext SC = startContext(Ctor, Ctx, Api);
  if (SC.Detach) {
    detached(Ctor, SC.Detach, Ctor->getArg(0), FD, Ctx, Out);
    return Out;
  }
  if (!SC.Var || !threadRecord(SC.Var->getType(), Api) ||
      SC.Var->getDeclContext() != FD)
    return Out;
  FunctionCFG *F = FunctionCFG::get(FD, FD->getBody(), Ctx);
  if (!F)
    return Out;
  if (const Stmt *Detach = findDetach(SC.Var, FD->getBody(), F->parents(), Api))
    detached(Ctor, Detach, Ctor->getArg(0), FD, Ctx, Out);
  const Stmt *Acquire = SC.Assign ? static_cast<const Stmt *>(SC.Assign)
                                  : static_cast<const Stmt *>(Ctor);
  handlePath({Acquire, SC.Var, FD, threadRecord(Ctor->getType(), Api), ""}, Ctx,
             Out);
  return Out;
}

/// The callable a C spawn runs: the first argument after the handle that is
/// a visible callable or a function pointer.
static const Expr *spawnedCallable(const CallExpr *Call) {
  for (unsigned I = 1; I < Call->getNumArgs(); ++I)
    if (callableBody(Call->getArg(I)) || Call->getArg(I)
                                             ->IgnoreParenImpCasts()
                                             ->getType()
                                             ->isFunctionPointerType())
      return Call->getArg(I);
  return nullptr;
}

/// The local handle `pthread_create(&t, ...)` starts into, or null when the
/// handle lives elsewhere (a member, global, array element, out-parameter).
static const VarDecl *spawnedInto(const CallExpr *Call,
                                  const FunctionDecl *FD) {
  if (Call->getNumArgs() == 0)
    return nullptr;
  const auto *UO =
      dyn_cast<UnaryOperator>(Call->getArg(0)->IgnoreParenImpCasts());
  if (!UO || UO->getOpcode() != UO_AddrOf)
    return nullptr;
  const auto *DRE =
      dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return isPlainLocal(VD) && VD->getDeclContext() == FD ? VD : nullptr;
}

/// `pthread_create(&t, &attr, ...)`: what the attributes say.
static AttrDetach spawnAttributes(const CallExpr *Call, const FunctionDecl *FD,
                                  ASTContext &Ctx) {
  if (Call->getNumArgs() < 4)
    return AttrDetach::Joinable;
  QualType AT = Call->getArg(1)->IgnoreParenImpCasts()->getType();
  if (!AT->isPointerType() ||
      AT->getPointeeType().getUnqualifiedType().getAsString() !=
          "pthread_attr_t")
    return AttrDetach::Joinable;
  return attrDetachState(Call->getArg(1), FD->getBody(), Ctx);
}

bool droppedHandle(const CallExpr *Call, ParentMap &PM, ThreadFindings &Out) {
  const Stmt *P = PM.getParentIgnoreParenImpCasts(const_cast<CallExpr *>(Call));
  const auto *Cast = dyn_cast_or_null<CStyleCastExpr>(P);
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee ||
      (P && !isa<CompoundStmt>(P) && !(Cast && Cast->getType()->isVoidType())))
    return false;
  ThreadFinding R;
  R.Kind = ThreadLeak::DroppedHandle;
  R.Loc = Call->getBeginLoc();
  R.CHandle = true;
  R.Spawn = Callee->getNameAsString();
  R.HandleType = Callee->getReturnType().getAsString();
  Out.push_back(std::move(R));
  return true;
}

ThreadFindings ThreadFacts::spawnCall(const CallExpr *Call,
                                      const FunctionDecl *FD, ASTContext &Ctx) {
  ThreadFindings Out;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !FD->getBody())
    return Out;
  bool Returning = Api.SpawnReturningFunctions.matches(Callee);
  if (!Returning && !Api.SpawnFunctions.matches(Callee))
    return Out;
  FunctionCFG *F = FunctionCFG::get(FD, FD->getBody(), Ctx);
  if (!F)
    return Out;
  ParentMap &PM = F->parents();
  const Expr *Callable = spawnedCallable(Call);
  const VarDecl *Holder = nullptr;
  if (Returning) {
    if (droppedHandle(Call, PM, Out))
      return Out;
    Holder = resultVariable(Call, PM);
    if (!isPlainLocal(Holder) || Holder->getDeclContext() != FD)
      return Out; // stored elsewhere: handed off
  } else {
    Holder = spawnedInto(Call, FD);
    if (!Holder) {
      arrayFindings(Call, FD, *F, Api, Out); // pthread_create(&tids[i], ...)
      return Out;
    }
    switch (spawnAttributes(Call, FD, Ctx)) {
    case AttrDetach::Detached:
      detached(Call, Call, Callable, FD, Ctx, Out);
      return Out;
    case AttrDetach::Unknown:
      return Out;
    case AttrDetach::Joinable:
      break;
    }
  }
  if (const Stmt *Detach = findDetach(Holder, FD->getBody(), PM, Api))
    detached(Call, Detach, Callable, FD, Ctx, Out);
  handlePath({Call, Holder, FD, nullptr, Callee->getNameAsString()}, Ctx, Out);
  return Out;
}

ThreadFindings ThreadFacts::qthreadStart(const CXXMemberCallExpr *Start,
                                         const FunctionDecl *FD,
                                         ASTContext &Ctx) {
  ThreadFindings Out;
  const Expr *Obj = Start->getImplicitObjectArgument();
  const auto *DRE =
      Obj ? dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()) : nullptr;
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!isPlainLocal(V) || V->getDeclContext() != FD || !FD->getBody())
    return Out;
  bool Pointer = V->getType()->isPointerType();
  if (!isQThreadClass(Pointer ? V->getType()->getPointeeCXXRecordDecl()
                              : V->getType()->getAsCXXRecordDecl(),
                      Api))
    return Out;
  // A pointer: only a thread this function owns.
  if (Pointer && !ownsNewQThread(V->getInit(), Ctx))
    return Out;
  FunctionCFG *F = FunctionCFG::get(FD, FD->getBody(), Ctx);
  if (!F)
    return Out;
  // Handed off before it starts: connect(t, &QThread::finished, t,
  // &QObject::deleteLater), worker.moveToThread(&t), ...
  if (anyStmt(
          FD->getBody(),
          [&](const Stmt *S) {
            const auto *Ref = dyn_cast<DeclRefExpr>(S);
            return Ref && Ref->getDecl() == V &&
                   Ref->getBeginLoc() < Start->getBeginLoc() &&
                   classifyQThreadRef(Ref, F->parents()) ==
                       HandleEffect::Escapes;
          },
          LambdaPolicy::Enter))
    return Out;
  ThreadHandleModel Model(V, F->parents(), Api);
  Model.QtThread = true;
  ThreadEdgeRules Edges(*F, Start, V, /*CSpawn=*/false);
  Model.Edges = &Edges;
  LifetimeQuery Q;
  Q.Acquire = Start;
  Q.Holder = V;
  LifetimeResult Found = analyzeLifetime(*F, Q, Model);
  if (!Found.leaked())
    return Out;
  ThreadFinding R;
  R.Kind = Pointer ? ThreadLeak::QThreadLeaked : ThreadLeak::QThreadRunning;
  R.Loc = V->getLocation();
  R.Thread = V;
  R.Pointer = Pointer;
  R.Path = std::move(*Found.Path);
  Out.push_back(std::move(R));
  return Out;
}

void ThreadFacts::handlePath(const Handle &H, ASTContext &Ctx,
                             ThreadFindings &Out) {
  // Returning from main() ends the process and every thread with it; only a
  // thread object's destructor (std::terminate) still matters there.
  if (!H.ThreadType && H.FD->isMain())
    return;
  FunctionCFG *F = FunctionCFG::get(H.FD, H.FD->getBody(), Ctx);
  if (!F)
    return;
  // A spawn's result tells its failure; a fresh pthread_t returned by a
  // function of the program does not (a GThread * is null on failure).
  bool CSpawn =
      !H.ThreadType && (!H.Fresh || H.Holder->getType()->isPointerType());
  ThreadEdgeRules Edges(*F, H.Acquire, H.Holder, CSpawn);
  ThreadHandleModel Model(H.Holder, F->parents(), Api);
  Model.ThrowCache = &ThrowCache;
  Model.Acquire = H.Acquire;
  Model.Edges = &Edges;
  bool Terminates = H.ThreadType && destructorTerminates(H.ThreadType);
  LifetimeQuery Q;
  Q.Acquire = H.Acquire;
  Q.Holder = H.Holder;
  Q.Failure = Edges.failureConvention();
  Q.AnalyzeExceptionPaths = Options.AnalyzeExceptionPaths && Terminates;
  // An exception that nothing catches ends in std::terminate whether or not
  // the thread is joinable (main(), noexcept, callers that do not catch). A
  // call that may throw is a path only when a catch is in sight (a caller's
  // try, a test framework); an explicit throw unless it surely terminates.
  ExceptionFate Fate = ProgramFacts::get(Ctx).exceptionFate(H.FD);
  Q.EscapingExceptionsTerminate = Fate == ExceptionFate::Terminates;
  Q.EscapingMayThrowTerminate = Fate != ExceptionFate::Caught;
  LifetimeResult Found = analyzeLifetime(*F, Q, Model);
  if (!Found.leaked())
    return;
  ThreadFinding R;
  bool Again = Found.Path->Exit == LeakPath::OnReacquire;
  R.Kind = Again ? ThreadLeak::StartedAgain : ThreadLeak::Unjoined;
  R.Loc = H.Holder->getLocation();
  R.Thread = H.Holder;
  R.Terminates = Terminates;
  R.CHandle = !H.ThreadType;
  R.Spawn = H.Spawn;
  R.Path = std::move(*Found.Path);
  if (!Again && Terminates)
    R.JThreadFix = jthreadFix(H, Ctx);
  Out.push_back(std::move(R));
}

std::optional<CharSourceRange> ThreadFacts::jthreadFix(const Handle &H,
                                                       ASTContext &Ctx) {
  const LangOptions &LO = Ctx.getLangOpts();
  const auto *Ctor = dyn_cast<CXXConstructExpr>(H.Acquire);
  FunctionCFG *F = FunctionCFG::get(H.FD, H.FD->getBody(), Ctx);
  if (!LO.CPlusPlus20 || !Ctor || !F ||
      qualifiedName(H.ThreadType) != "std::thread" ||
      !H.Holder->getTypeSourceInfo() ||
      !onlyJoined(H.Holder, H.FD->getBody(), F->parents(), Api) ||
      !callableIgnoresStopToken(Ctor) || !bodyFinishesOnItsOwn(Ctor, Ctx))
    return std::nullopt;
  SourceRange TR = H.Holder->getTypeSourceInfo()->getTypeLoc().getSourceRange();
  if (TR.isInvalid() || TR.getBegin().isMacroID() || TR.getEnd().isMacroID())
    return std::nullopt;
  CharSourceRange Range = CharSourceRange::getTokenRange(TR);
  if (Lexer::getSourceText(Range, Ctx.getSourceManager(), LO) != "std::thread")
    return std::nullopt;
  return Range;
}

void ThreadFacts::detached(const Stmt *Spawn, const Stmt *DetachSite,
                           const Expr *Callable, const FunctionDecl *FD,
                           ASTContext &Ctx, ThreadFindings &Out) {
  const Stmt *Body = FD->getBody();
  if (!Body)
    return;
  SourceLocation DetachedAt;
  if (DetachSite->getBeginLoc() != Spawn->getBeginLoc())
    DetachedAt = DetachSite->getBeginLoc();
  // Form 6: one detached thread per turn of an unbounded loop.
  const Stmt *Loop = enclosingLoop(Spawn, Ctx, Body, LoopPart::Body);
  bool PerTurn = Loop && isUnboundedLoop(Loop, Ctx) &&
                 anyStmt(
                     Loop, [&](const Stmt *S) { return S == DetachSite; },
                     LambdaPolicy::Enter);
  // Form 5: the detached thread's body loops forever. A thread started per
  // turn that can never finish is one warning, with the loop as a note.
  const Stmt *Endless =
      Callable ? findEndlessLoop(callableBody(Callable), Ctx, Api.WaitFunctions)
               : nullptr;
  ThreadFinding R;
  R.Loc = Spawn->getBeginLoc();
  R.DetachedAt = DetachedAt;
  if (Endless) {
    R.Kind = ThreadLeak::DetachedEndless;
    R.Loop = Endless->getBeginLoc();
    if (PerTurn)
      R.PerTurnLoop = Loop->getBeginLoc();
    Out.push_back(std::move(R));
  } else if (PerTurn && Options.ReportDetachedThreadsPerTurn) {
    // A body that finishes on its own (or that we cannot see): thread per
    // connection is a design choice, reported only on request.
    R.Kind = ThreadLeak::DetachedPerTurn;
    R.Loop = Loop->getBeginLoc();
    Out.push_back(std::move(R));
  }
}

ThreadFindings ThreadFacts::threadContainer(const VarDecl *V,
                                            const FunctionDecl *FD,
                                            ASTContext &Ctx) {
  ThreadFindings Out;
  const CXXRecordDecl *Elem = threadContainerElement(V->getType(), Api);
  const Stmt *Body = FD->getBody();
  FunctionCFG *F = Elem && Body ? FunctionCFG::get(FD, Body, Ctx) : nullptr;
  if (!F)
    return Out;
  ParentMap &PM = F->parents();
  const CXXMemberCallExpr *FirstAdd = nullptr;
  bool Handled = joinsSomeElement(Body, Api);
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        if (const auto *L = dyn_cast<LambdaExpr>(S))
          Handled |= capturesVar(L, V);
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        if (!DRE || DRE->getDecl() != V)
          return Walk::Continue;
        ThreadContainerUse U = classifyContainerRef(DRE, PM);
        Handled |= U == ThreadContainerUse::Handles;
        if (U != ThreadContainerUse::Adds)
          return Walk::Continue;
        const Stmt *ME =
            PM.getParentIgnoreParenImpCasts(const_cast<DeclRefExpr *>(DRE));
        const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(
            ME ? PM.getParent(const_cast<Stmt *>(ME)) : nullptr);
        if (MC && (!FirstAdd || MC->getBeginLoc() < FirstAdd->getBeginLoc()))
          FirstAdd = MC;
        return Walk::Continue;
      },
      LambdaPolicy::Enter);
  if (!FirstAdd)
    return Out;
  ThreadFinding R;
  R.Loc = V->getLocation();
  R.Thread = V;
  R.Terminates = destructorTerminates(Elem);
  R.Keyed = isMapContainer(V->getType());
  R.Started = FirstAdd->getBeginLoc();
  if (!Handled) {
    R.Kind = ThreadLeak::ContainerNeverJoined;
    Out.push_back(std::move(R));
    return Out;
  }
  // Joined somewhere: is there a path that skips it (an early return)?
  ThreadContainerModel Model(V, PM);
  LifetimeQuery Q;
  Q.Acquire = FirstAdd;
  Q.Holder = V;
  Q.ReportReacquire = false;
  LifetimeResult Found = analyzeLifetime(*F, Q, Model);
  if (!Found.leaked())
    return Out;
  R.Kind = ThreadLeak::ContainerUnjoinedOnPath;
  R.Path = std::move(*Found.Path);
  Out.push_back(std::move(R));
  return Out;
}

ThreadFindings ThreadFacts::threadMembers(const CXXRecordDecl *RD) {
  return memberFindings(RD, Api, Options.RequireJoinInDestructor);
}

} // namespace leaklib
} // namespace clang
