//===--- TickerFacts.cpp - leak-tidy --------------------------------------===//
#include "lib/timer/TickerFacts.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/UserCodeVisitor.h"
#include "lib/core/VarUses.h"
#include "lib/program/FlagWrites.h"
#include "lib/program/ProgramFacts.h"
#include "lib/program/WaitingCall.h"
#include "lib/timer/HandleUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

//===-- Ticker loops
//--------------------------------------------------------===//

static bool isInterruptionPoint(const CallExpr *CE) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return false;
  std::string Q = qualifiedName(FD);
  llvm::StringRef N(Q);
  return N.starts_with("boost::this_thread::") ||
         N.starts_with("boost::condition_variable") ||
         N.starts_with("boost::fibers::") || N == "pthread_testcancel";
}

const CallExpr *findTickerLoopWait(const Stmt *Loop, const NameMatcher &Waits,
                                   ASTContext &Ctx, TickerLoop *Flag) {
  if (!isLoop(Loop))
    return nullptr;
  // `while (running_)`: endless when no file of the project stops it.
  std::optional<FlagCondition> Cond;
  if (!isEndlessByCondition(Loop, Ctx) &&
      !(Flag && !isa<CXXForRangeStmt>(Loop) &&
        (Cond = flagCondition(loopCondition(Loop)))))
    return nullptr;
  if (findLoopExits(Loop).any())
    return nullptr;
  const CallExpr *HelperWait = nullptr;
  if (!waitsEachTurn(Loop, Waits) &&
      !(HelperWait = waitingHelperCall(Loop, Waits, Ctx)))
    return nullptr;
  bool Interruptible = false;
  const CallExpr *FirstWait = nullptr;
  forEachOwnStmt(loopBody(Loop), [&](const Stmt *S) {
    if (isa<CoawaitExpr>(S) || isa<CoyieldExpr>(S))
      Interruptible = true;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (isInterruptionPoint(CE))
        Interruptible = true;
      if (const FunctionDecl *FD = CE->getDirectCallee())
        if (Waits.matches(FD) &&
            (!FirstWait || Ctx.getSourceManager().isBeforeInTranslationUnit(
                               CE->getBeginLoc(), FirstWait->getBeginLoc())))
          FirstWait = CE;
    }
  });
  if (Interruptible)
    return nullptr;
  if (Cond) { // asked last: the question is exported
    std::vector<FlagNote> Notes;
    if (!flagNeverStops(Ctx, *Cond, Notes))
      return nullptr;
    Flag->Flag = Cond->Flag;
    Flag->StopValue = Cond->StopValue;
    Flag->FlagNotes = std::move(Notes);
  }
  return HelperWait ? HelperWait : FirstWait;
}

//===-- Asio re-arm
//---------------------------------------------------------===//

/// The first call in \p Root that runs every time \p Root runs (not under a
/// condition, loop, switch, try or lambda) for which \p Pred holds.
static const CallExpr *
firstUnconditionalCall(const Stmt *Root,
                       llvm::function_ref<bool(const CallExpr *)> Pred) {
  const CallExpr *Found = nullptr;
  forEachStmt(
      Root,
      [&](const Stmt *S) {
        if (isa<LambdaExpr, SwitchStmt, CXXTryStmt>(S) || isLoop(S))
          return Walk::SkipChildren;
        const Stmt *Always = nullptr; // the part that always runs
        if (const auto *If = dyn_cast<IfStmt>(S))
          Always = If->getCond();
        else if (const auto *CO = dyn_cast<AbstractConditionalOperator>(S))
          Always = CO->getCond();
        else if (const auto *BO = dyn_cast<BinaryOperator>(S);
                 BO && BO->isLogicalOp())
          Always = BO->getLHS();
        if (Always) {
          Found = firstUnconditionalCall(Always, Pred);
          return Found ? Walk::Stop : Walk::SkipChildren;
        }
        if (const auto *CE = dyn_cast<CallExpr>(S); CE && Pred(CE)) {
          Found = CE;
          return Walk::Stop;
        }
        return Walk::Continue;
      },
      LambdaPolicy::Skip);
  return Found;
}

/// A return, throw, goto or noreturn call in \p Body (not in its lambdas).
static bool hasEarlyExit(const Stmt *Body) {
  bool Exit = false;
  forEachOwnStmt(Body, [&](const Stmt *S) {
    if (isa<ReturnStmt, CXXThrowExpr, CoreturnStmt, GotoStmt>(S))
      Exit = true;
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = CE->getDirectCallee())
        Exit |= FD->isNoReturn();
  });
  return Exit;
}

const CallExpr *findUnstoppableRearm(const CallExpr *AsyncWait,
                                     const FunctionDecl *Enclosing,
                                     const TimerModel &Model) {
  TimerCall TC = Model.classify(AsyncWait);
  if (TC.Role != TimerRole::Arm ||
      (TC.Framework != TimerFramework::Asio &&
       TC.Framework != TimerFramework::User) ||
      calleeName(AsyncWait) != "async_wait" || AsyncWait->getNumArgs() < 1)
    return nullptr;
  const ValueDecl *Key = handleKey(TC.Handle);
  if (!Key)
    return nullptr;
  // The handler: a lambda, or std::bind / boost::bind of a member function
  // (`bind(&C::onTick, this, _1)`) whose first parameter is the error code.
  const FunctionDecl *Handler = nullptr;
  const Stmt *HBody = nullptr;
  const Expr *H = peelValue(AsyncWait->getArg(0));
  if (const auto *L = dyn_cast<LambdaExpr>(H)) {
    Handler = L->getCallOperator();
    HBody = L->getBody();
  } else if (const auto *Bind = dyn_cast<CallExpr>(H)) {
    llvm::StringRef BN = calleeName(Bind);
    if ((BN == "bind" || BN == "bind_front") && Bind->getNumArgs() >= 2) {
      const Expr *Fn = Bind->getArg(0)->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(Fn))
        Fn = UO->getSubExpr()->IgnoreParenImpCasts();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Fn))
        if (const auto *MD = dyn_cast<CXXMethodDecl>(DRE->getDecl())) {
          const FunctionDecl *Def = nullptr;
          if (MD->hasBody(Def)) {
            Handler = Def;
            HBody = Def->getBody();
          }
        }
    }
  }
  if (!Handler || !HBody || Handler->getNumParams() < 1)
    return nullptr;
  if (Handler->getParamDecl(0)->isReferenced() ||
      Handler->getParamDecl(0)->isUsed())
    return nullptr; // the handler looks at the error code
  if (hasEarlyExit(HBody))
    return nullptr;
  // Statements run on every call: not under a condition, loop or switch.
  const FunctionDecl *EncCanon =
      Enclosing ? Enclosing->getCanonicalDecl() : nullptr;
  return firstUnconditionalCall(HBody, [&](const CallExpr *CE) {
    TimerCall Inner = Model.classify(CE);
    bool ArmsThisTimer = Inner.Role == TimerRole::Arm &&
                         calleeName(CE) == "async_wait" && Inner.Handle &&
                         handleKey(Inner.Handle) == Key;
    bool CallsEnclosing = EncCanon && CE->getDirectCallee() &&
                          CE->getDirectCallee()->getCanonicalDecl() == EncCanon;
    return ArmsThisTimer || CallsEnclosing;
  });
}

/// The handler of a post: a lambda (its body in \p Body), or
/// `std::bind(&C::f, this, ...)` / `boost::bind` of a function (returned).
static const FunctionDecl *handlerOf(const Expr *H, const Stmt *&Body) {
  H = peelValue(H);
  Body = nullptr;
  if (const auto *L = dyn_cast_or_null<LambdaExpr>(H)) {
    Body = L->getBody();
    return nullptr;
  }
  const auto *Bind = dyn_cast_or_null<CallExpr>(H);
  if (!Bind || Bind->getNumArgs() < 1 ||
      (calleeName(Bind) != "bind" && calleeName(Bind) != "bind_front"))
    return nullptr;
  const Expr *Fn = Bind->getArg(0)->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Fn))
    Fn = UO->getSubExpr()->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(Fn);
  return DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
}

const CallExpr *findSelfRepost(const CallExpr *Post,
                               const FunctionDecl *Enclosing) {
  const FunctionDecl *Callee = Post->getDirectCallee();
  if (!Callee || !Enclosing || !Enclosing->getBody() ||
      Post->getNumArgs() < 1 || !Callee->getIdentifier())
    return nullptr;
  llvm::StringRef N = Callee->getName();
  std::string Q = Callee->getQualifiedNameAsString();
  if ((N != "post" && N != "defer" && N != "dispatch") ||
      !(llvm::StringRef(Q).starts_with("asio::") ||
        llvm::StringRef(Q).starts_with("boost::asio::")))
    return nullptr;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Enclosing);
      MD && MD->getParent()->isLambda())
    return nullptr;
  // The post runs on every call of Enclosing, which has no way out before.
  const Stmt *Body = Enclosing->getBody();
  if (hasEarlyExit(Body) ||
      firstUnconditionalCall(
          Body, [&](const CallExpr *CE) { return CE == Post; }) != Post)
    return nullptr;
  // The handler: the last argument written (Asio adds defaulted
  // constraint parameters after it).
  unsigned Last = Post->getNumArgs();
  while (Last > 0 && isa<CXXDefaultArgExpr>(Post->getArg(Last - 1)))
    --Last;
  const Stmt *HBody = nullptr;
  const FunctionDecl *Bound =
      Last ? handlerOf(Post->getArg(Last - 1), HBody) : nullptr;
  const FunctionDecl *EncCanon = Enclosing->getCanonicalDecl();
  if (Bound) // post(ex, bind(&C::tick, this)) in tick()
    return Bound->getCanonicalDecl() == EncCanon
               ? dyn_cast<CallExpr>(peelValue(Post->getArg(Last - 1)))
               : nullptr;
  if (!HBody || hasEarlyExit(HBody))
    return nullptr;
  return firstUnconditionalCall(HBody, [&](const CallExpr *CE) {
    return CE->getDirectCallee() &&
           CE->getDirectCallee()->getCanonicalDecl() == EncCanon;
  });
}

//===-- Periodic arms -----------------------------------------------------===//

namespace {
enum class QtParent { None, Owner, ProcessWide, Other };
} // namespace

/// ProgramFacts::neverReturns does not look into a coroutine's body (a
/// CoroutineBodyStmt): a coroutine whose own body runs, at its top level,
/// an endless loop that nothing leaves keeps \p VD, its local, for as long
/// as it runs -- the same as a function that never returns.
static bool coroutineLoopsForever(const VarDecl *VD, ASTContext &Ctx) {
  const auto *FD = dyn_cast<FunctionDecl>(VD->getDeclContext());
  const auto *CB =
      FD ? dyn_cast_or_null<CoroutineBodyStmt>(FD->getBody()) : nullptr;
  const auto *Top =
      CB ? dyn_cast_or_null<CompoundStmt>(CB->getBody()) : nullptr;
  if (!Top)
    return false;
  for (const Stmt *S : Top->body())
    if (isLoop(S) && isEndlessByCondition(S, Ctx) && !findLoopExits(S).any())
      return true;
  return false;
}

static bool isApplicationClass(const CXXRecordDecl *RD) {
  std::string Cls = qualifiedName(RD);
  return Cls == "QCoreApplication" || Cls == "QApplication" ||
         Cls == "QGuiApplication";
}

/// What `new QTimer(parent)` is parented to. \p ProcessClass: whether a
/// class has an instance that lives as long as the process.
static QtParent
qtParentOf(const CXXNewExpr *New, ASTContext &Ctx,
           llvm::function_ref<bool(const CXXRecordDecl *)> ProcessClass) {
  const CXXConstructExpr *Ctor = New->getConstructExpr();
  if (!Ctor || Ctor->getNumArgs() == 0 || isNullOrAbsent(Ctor->getArg(0), Ctx))
    return QtParent::None;
  const Expr *A = Ctor->getArg(0)->IgnoreParenCasts();
  if (isa<CXXThisExpr>(A))
    return QtParent::Owner;
  if (const auto *CE = dyn_cast<CallExpr>(A)) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD)
      return QtParent::Other;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
      if (MD->getIdentifier() && MD->getName() == "instance" &&
          isApplicationClass(MD->getParent()))
        return QtParent::ProcessWide;
    QualType R = FD->getReturnType();
    if (R->isPointerType() || R->isReferenceType())
      if (const CXXRecordDecl *RD = R->getPointeeType()->getAsCXXRecordDecl())
        if (ProcessClass(RD))
          return QtParent::ProcessWide;
    return QtParent::Other;
  }
  const Expr *Inner = A;
  if (const auto *UO = dyn_cast<UnaryOperator>(A))
    if (UO->getOpcode() == UO_AddrOf)
      Inner = UO->getSubExpr()->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Inner))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (ProgramFacts::get(Ctx).livesForProcess(VD))
        return QtParent::ProcessWide;
  return QtParent::Other;
}

TickerFacts::TickerFacts(ASTContext &Ctx, const TimerModel &Model,
                         const TimerOptions &Opts)
    : Ctx(Ctx), Model(Model), Opts(Opts), Waits(Opts.WaitFunctions),
      Statics(Ctx) {}

TickerFacts::~TickerFacts() = default;

TimerUseIndex &TickerFacts::index() {
  if (!Index)
    Index = std::make_unique<TimerUseIndex>(Ctx, Model);
  return *Index;
}

/// main, or a function that runs an event loop: what it starts lives as long
/// as the program's loop by design, and its own endless loop is the
/// program's main loop. With \p ArmsOnly, the question for what it starts
/// (arms, GLib sources): a GLib main loop counts only when nothing quits it,
/// and a function that never returns (ProgramFacts: an endless loop or such
/// a loop, itself or in a function it calls) counts too. Other event loops
/// (uv_run, exec, io_context::run) are not in the program model yet: they
/// count whenever called.
bool TickerFacts::mainLike(const FunctionDecl *FD, bool ArmsOnly) {
  if (!FD)
    return false;
  auto Key = std::make_pair(FD, unsigned(ArmsOnly));
  auto It = MainLike.find(Key);
  if (It != MainLike.end())
    return It->second;
  bool R = FD->isMain() ||
           (FD->getBody() && runsEventLoop(FD->getBody(), !ArmsOnly)) ||
           (ArmsOnly && ProgramFacts::get(Ctx).neverReturns(FD));
  return MainLike[Key] = R;
}

/// A member of a class whose code we do not all see, or of a class with a
/// program-long instance: someone may stop it, or it lives by design.
bool TickerFacts::ownerMayStop(const ValueDecl *Key) {
  const auto *FD = dyn_cast<FieldDecl>(Key);
  const auto *RD = FD ? dyn_cast<CXXRecordDecl>(FD->getParent()) : nullptr;
  return RD &&
         (!classFullyVisible(RD, Opts.StopMethods) || livesForProcess(RD));
}

namespace {
/// The classes of the variables that live as long as the process
/// (ProgramFacts::livesForProcess): a server object declared in a main()
/// that does not end soon, or in a function that never returns.
class ProcessInstanceCollector
    : public UserCodeVisitor<ProcessInstanceCollector> {
public:
  ProcessInstanceCollector(ASTContext &Ctx,
                           llvm::DenseSet<const CXXRecordDecl *> &Out)
      : UserCodeVisitor(Ctx), Out(Out), PF(ProgramFacts::get(Ctx)) {}
  bool VisitVarDecl(VarDecl *V) {
    const CXXRecordDecl *RD = V->getType()->getAsCXXRecordDecl();
    if (RD && !isa<ParmVarDecl>(V) && V->hasLocalStorage() &&
        PF.livesForProcess(V))
      Out.insert(RD->getCanonicalDecl());
    return true;
  }

private:
  llvm::DenseSet<const CXXRecordDecl *> &Out;
  ProgramFacts &PF;
};
} // namespace

/// A class with a static instance, or an instance the program model says
/// lives as long as the process: its members tick by design.
bool TickerFacts::livesForProcess(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  if (Statics.hasStaticInstance(RD))
    return true;
  if (!ProcessInstances) {
    ProcessInstances =
        std::make_unique<llvm::DenseSet<const CXXRecordDecl *>>();
    ProcessInstanceCollector C(Ctx, *ProcessInstances);
    C.traverseUserCode();
  }
  return ProcessInstances->count(RD->getCanonicalDecl()) != 0;
}

/// Whether \p Arm starts \p TC's timer periodically, per framework; fills
/// the creation and, for a QTimer parented to the application, the owner
/// that dies first. Nullopt: not periodic, or owned by design.
std::optional<UnstoppedArm>
TickerFacts::periodicArm(const CallExpr *Arm, const TimerCall &TC,
                         const Stmt *Body, const FunctionDecl *Outer) {
  UnstoppedArm F;
  F.Arm = Arm;
  F.Framework = TC.Framework;
  F.Timer = handleKey(TC.Handle);
  F.Creation = index().creationOf(F.Timer);
  switch (TC.Framework) {
  case TimerFramework::LibEvent: {
    if (calleeName(Arm) != "event_add" || Arm->getNumArgs() < 2 ||
        isNullOrAbsent(Arm->getArg(1), Ctx))
      return std::nullopt;
    const auto *New = dyn_cast_or_null<CallExpr>(F.Creation);
    if (!New || !TimerModel::isPersistentTimerEvent(New, Ctx) ||
        Model.callbackStopsTimers(TimerModel::callbackOf(New),
                                  TimerFramework::LibEvent))
      return std::nullopt;
    return F;
  }
  case TimerFramework::Qt: {
    if (!Model.isPeriodicArm(Arm, TC, Body, Ctx) || index().singleShot(F.Timer))
      return std::nullopt;
    const auto *New = dyn_cast_or_null<CXXNewExpr>(F.Creation);
    if (!New)
      return std::nullopt; // by-value member, smart pointer, or not seen
    QtParent Parent = qtParentOf(
        New, Ctx, [&](const CXXRecordDecl *RD) { return livesForProcess(RD); });
    if (Parent == QtParent::Owner || Parent == QtParent::Other)
      return std::nullopt;
    if (Parent == QtParent::ProcessWide) {
      if (Opts.IgnoreParentedQTimer)
        return std::nullopt;
      // Only a shorter-lived owner leaks by parenting to the application.
      const auto *MD = dyn_cast<CXXMethodDecl>(Outer);
      if (!MD || MD->isStatic() || livesForProcess(MD->getParent()))
        return std::nullopt;
      F.ShortLivedOwner = MD->getParent();
    }
    return F;
  }
  case TimerFramework::LibUv:
    if (!Model.isPeriodicArm(Arm, TC, Body, Ctx) || index().usesUvWalk() ||
        Model.callbackStopsTimers(TimerModel::callbackOf(Arm),
                                  TimerFramework::LibUv))
      return std::nullopt;
    return F;
  default:
    if (!Model.isPeriodicArm(Arm, TC, Body, Ctx))
      return std::nullopt;
    return F;
  }
}

std::optional<UnstoppedArm> TickerFacts::loopKeptAlive(const CallExpr *Arm,
                                                       const Stmt *Body,
                                                       const FunctionDecl *FD) {
  TimerCall TC = Model.classify(Arm);
  if (TC.Role != TimerRole::Arm || TC.Framework != TimerFramework::LibUv ||
      !FD || !FD->getBody() ||
      !anyStmt(
          FD->getBody(),
          [](const Stmt *S) {
            const auto *CE = dyn_cast<CallExpr>(S);
            return CE && calleeName(CE) == "uv_run";
          },
          LambdaPolicy::Skip))
    return std::nullopt;
  const ValueDecl *Key = handleKey(TC.Handle);
  if (!Key || isa<ParmVarDecl>(Key) || ReportedKeys.count(Key))
    return std::nullopt;
  const CallExpr *Sibling = index().uvCloseOfOther(Key);
  if (!Sibling)
    return std::nullopt; // no shutdown at all: the loop runs by design
  std::optional<UnstoppedArm> F = periodicArm(Arm, TC, Body, FD);
  if (!F || index().released(Key) || index().escaped(Key))
    return std::nullopt;
  F->ClosedSibling = Sibling;
  ReportedKeys.insert(Key);
  return F;
}

std::optional<UnstoppedArm>
TickerFacts::unstoppedArm(const CallExpr *Arm, const Stmt *Body,
                          const FunctionDecl *Outer) {
  TimerCall TC = Model.classify(Arm);
  const ValueDecl *Key =
      TC.Role == TimerRole::Arm ? handleKey(TC.Handle) : nullptr;
  if (!Key || isa<ParmVarDecl>(Key) || ReportedKeys.count(Key))
    return std::nullopt;
  if (const auto *VD = dyn_cast<VarDecl>(Key))
    if (!VD->isLocalVarDecl() || VD->isStaticLocal())
      return std::nullopt; // a global ticker lives for the program by design
  std::optional<UnstoppedArm> F = periodicArm(Arm, TC, Body, Outer);
  if (!F || index().released(Key) || index().escaped(Key))
    return std::nullopt;
  // A local timer of a function that never returns (ProgramFacts: an
  // exit-free endless loop on every path, e.g. a sigwait/read loop consuming
  // the ticks, or a call of a function that never returns) lives exactly as
  // long as the process that uses it.
  if (const auto *VD = dyn_cast<VarDecl>(Key);
      VD && (ProgramFacts::get(Ctx).livesForProcess(VD) ||
             coroutineLoopsForever(VD, Ctx)))
    return std::nullopt;
  if (ownerMayStop(Key))
    return std::nullopt;
  if (const auto *FD = dyn_cast<FieldDecl>(Key))
    F->Owner = dyn_cast<CXXRecordDecl>(FD->getParent());
  ReportedKeys.insert(Key);
  return F;
}

//===-- GLib sources ------------------------------------------------------===//

/// Where the id returned by \p Add goes: a variable (`guint id = ...`,
/// `id = ...`), passed on (\p PassedOn), or discarded (neither).
static const ValueDecl *sourceIdHolder(const CallExpr *Add, ASTContext &Ctx,
                                       bool &PassedOn) {
  const ValueDecl *Key = nullptr;
  PassedOn = false;
  const ParentIndex &PI = ParentIndex::get(Ctx);
  // `q.every(ms, [] {...})`: the temporaries of the call's arguments wrap
  // it in an ExprWithCleanups.
  const Stmt *Self = Add;
  for (auto Up = PI.parents(*Self);
       Up.size() == 1 && Up[0].get<ExprWithCleanups>(); Up = PI.parents(*Self))
    Self = Up[0].get<ExprWithCleanups>();
  for (const auto &P : PI.parents(*Self)) {
    const Stmt *PS = P.get<Stmt>();
    if (const auto *VD = dyn_cast_or_null<VarDecl>(P.get<Decl>())) {
      Key = VD;
      continue;
    }
    if (!PS || isa<CompoundStmt, CStyleCastExpr>(PS))
      continue;
    PassedOn = true;
    // id = g_timeout_add(...), possibly through an implicit cast.
    const Stmt *Cur = PS;
    if (isa<ImplicitCastExpr>(Cur)) {
      auto Up = PI.parents(*Cur);
      Cur = Up.empty() ? nullptr : Up[0].get<Stmt>();
      if (!Cur && !Up.empty())
        if (const auto *VD = dyn_cast_or_null<VarDecl>(Up[0].get<Decl>()))
          Key = VD;
    }
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Cur))
      if (BO->getOpcode() == BO_Assign)
        Key = handleKey(BO->getLHS());
  }
  if (Key)
    PassedOn = false;
  return Key;
}

/// An id member (or, for GLib, a global) set first by another function:
/// reported only when \p In may overwrite it while the old timer runs
/// (sourceOverwritten).
static std::optional<UnremovedSource> overwritten(UnremovedSource F,
                                                  const FunctionDecl *In,
                                                  const ValueDecl *Field,
                                                  const TimerModel &Model) {
  std::optional<LeakPath> P =
      sourceOverwritten(F.Add, In, Field, Model, F.ArmedAt);
  if (!P)
    return std::nullopt;
  F.Overwritten = true;
  F.Path = std::move(*P);
  return F;
}

std::optional<UnremovedSource>
TickerFacts::keptButNeverRemoved(UnremovedSource F) {
  if (const auto *VD = dyn_cast<VarDecl>(F.Id))
    if (!VD->isLocalVarDecl() || VD->isStaticLocal())
      return std::nullopt;
  if (index().released(F.Id) || index().escaped(F.Id) ||
      ReportedKeys.count(F.Id) || ownerMayStop(F.Id))
    return std::nullopt;
  ReportedKeys.insert(F.Id);
  return F;
}

std::optional<UnremovedSource>
TickerFacts::unremovedSource(const CallExpr *Add, const FunctionDecl *In) {
  UnremovedSource F;
  F.Add = Add;
  F.Callback = TimerModel::callbackOf(Add);
  if (!TimerModel::glibCallbackNeverRemoves(F.Callback) ||
      index().usesGSourceRemoveBy())
    return std::nullopt;
  bool PassedOn = false;
  F.Id = sourceIdHolder(Add, Ctx, PassedOn);
  if (PassedOn)
    return std::nullopt; // not ours
  if (!F.Id)
    return F; // discarded
  // A member or global removed somewhere: overwritten while another
  // function's source may be active?
  const auto *Global = dyn_cast<VarDecl>(F.Id);
  if (Global && (!Global->hasGlobalStorage() || Global->isLocalVarDecl()))
    Global = nullptr;
  if (isa<FieldDecl>(F.Id) || Global)
    if (index().released(F.Id) && !index().escaped(F.Id)) {
      if (auto O = overwritten(F, In, F.Id, Model))
        return O;
      std::optional<LeakPath> P = sourceLeftOnError(F.Add, In, F.Id, Model);
      if (!P)
        return std::nullopt;
      F.LeftOnError = true;
      F.Path = std::move(*P);
      return F;
    }
  return keptButNeverRemoved(std::move(F));
}

/// `void timerEvent(QTimerEvent *)`, `mousePressEvent`, `event`: a virtual
/// method that Qt calls once per event.
static bool isEventHandler(const FunctionDecl *FD) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  return MD && MD->isVirtual() && MD->getIdentifier() &&
         (MD->getName().ends_with("Event") || MD->getName() == "event");
}

std::optional<UnremovedSource> TickerFacts::lostTimerId(const CallExpr *Add,
                                                        const FunctionDecl *In,
                                                        TimerFramework FW) {
  UnremovedSource F;
  F.Framework = FW;
  F.Add = Add;
  bool PassedOn = false;
  F.Id = sourceIdHolder(Add, Ctx, PassedOn);
  if (PassedOn)
    return std::nullopt; // not ours
  bool Qt = FW == TimerFramework::QtObject;
  if (!F.Id) {
    // Qt: a QObject kills its timers when destroyed; one started per
    // event without a kept id is one more timer on every event.
    F.PerEvent = Qt && isEventHandler(In);
    if (Qt && !F.PerEvent)
      return std::nullopt;
    return F;
  }
  const auto *Field = dyn_cast<FieldDecl>(F.Id);
  if (Field && !index().escaped(F.Id) && (Qt || index().released(F.Id))) {
    return overwritten(std::move(F), In, Field, Model);
  }
  if (Qt)
    return std::nullopt; // killed with its object
  return keptButNeverRemoved(std::move(F));
}

//===-- One function ------------------------------------------------------===//

void TickerFacts::visitCall(const CallExpr *CE, const FunctionDecl *Inner,
                            const Stmt *InnerBody, const FunctionDecl *FD,
                            bool Outer, TickerFindings &Out) {
  TimerCall TC = Model.classify(CE);
  if (TC.Role == TimerRole::Arm) {
    if (TC.Framework == TimerFramework::Asio ||
        (TC.Framework == TimerFramework::User &&
         calleeName(CE) == "async_wait")) {
      // A lambda's own operator() is not what re-arms: the function that
      // contains the lambda is.
      if (const CallExpr *Rearm = findUnstoppableRearm(CE, Inner, Model))
        Out.Rearms.push_back({CE, Rearm, TC.Framework, handleKey(TC.Handle)});
    } else if (!Outer) {
      if (auto F = unstoppedArm(CE, InnerBody, FD))
        Out.Arms.push_back(*F);
    } else if (auto F = loopKeptAlive(CE, InnerBody, FD)) {
      Out.Arms.push_back(*F);
    }
  } else if (TC.Role == TimerRole::None && !Outer) {
    if (const CallExpr *Again = findSelfRepost(CE, Inner)) {
      UnstoppableRearm R{CE, Again, TimerFramework::Asio, nullptr};
      R.Repost = Inner;
      Out.Rearms.push_back(R);
    }
  } else if (TC.Role == TimerRole::CreateAndArm &&
             TC.Framework == TimerFramework::GLib && !Outer) {
    if (auto F = unremovedSource(CE, Inner))
      Out.Sources.push_back(*F);
  } else if (TC.Role == TimerRole::CreateAndArm && TC.ReturnsId &&
             TC.PeriodicId && !Outer) {
    if (auto F = lostTimerId(CE, Inner, TC.Framework))
      Out.Sources.push_back(*F);
  }
}

TickerFindings TickerFacts::inFunction(const FunctionDecl *FD) {
  TickerFindings Out;
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return Out;
  bool Outer = mainLike(FD, /*ArmsOnly=*/false);
  bool ArmsOuter = mainLike(FD, /*ArmsOnly=*/true);
  forEachBodyStmt(
      FD, [&](const FunctionDecl *Inner, const Stmt *Body, const Stmt *S) {
        TickerLoop L;
        if (isLoop(S) && !Outer)
          if (const CallExpr *Wait = findTickerLoopWait(S, Waits, Ctx, &L)) {
            L.Loop = S;
            L.Wait = Wait;
            const auto *MD = dyn_cast<CXXMethodDecl>(Inner);
            bool InLambda = MD && MD->getParent()->isLambda();
            if (InLambda ||
                (MD && !MD->isStatic() && !livesForProcess(MD->getParent())))
              Out.Loops.push_back(std::move(L));
            else if (!MD || MD->isStatic()) {
              L.OnlyIfThreadEntry = Inner;
              Out.Loops.push_back(std::move(L));
            }
          }
        if (const auto *CE = dyn_cast<CallExpr>(S))
          visitCall(CE, Inner, Body, FD, ArmsOuter, Out);
      });
  return Out;
}

} // namespace leaklib
} // namespace clang
