//===--- UnstoppedTickerCheck.cpp - leak-tidy
//----------------------------------===//
#include "checks/UnstoppedTickerCheck.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace clang::tidy::leak {

static TimerModelOptions modelOptions(std::vector<std::string> Types,
                                      std::vector<std::string> Arm,
                                      std::vector<std::string> Stop) {
  TimerModelOptions O;
  O.TimerTypes = std::move(Types);
  O.PeriodicArmFunctions = std::move(Arm);
  O.StopFunctions = std::move(Stop);
  return O;
}

UnstoppedTickerCheck::UnstoppedTickerCheck(StringRef Name,
                                           ClangTidyContext *Context)
    : LeakCheck(Name, Context),
      IgnoreParentedQTimer(boolOption("IgnoreParentedQTimer", false)),
      Waits(nameListOption("WaitFunctions",
                           leaklib::joinList(defaultWaitFunctions()))),
      StopMethods(identifierListOption(
          "StopMethods", "stop;close;shutdown;cancel;quit;terminate")),
      Model(modelOptions(nameListOption("TimerTypes", ""),
                         nameListOption("PeriodicArmFunctions", ""),
                         nameListOption("TimerStopFunctions", ""))) {}

void UnstoppedTickerCheck::onStartOfTranslationUnit() {
  Index.reset();
  Statics.reset();
  LastCtx = nullptr;
  ReportedKeys.clear();
  ReportedLocs.clear();
  ThreadEntries.clear();
  MainLike.clear();
  Pending.clear();
}

void UnstoppedTickerCheck::registerMatchers(MatchFinder *Finder) {
  auto UserCode = unless(isExpansionInSystemHeader());
  Finder->addMatcher(
      functionDecl(isDefinition(), UserCode, unless(isImplicit()),
                   unless(cxxMethodDecl(ofClass(cxxRecordDecl(isLambda())))),
                   hasBody(compoundStmt()))
          .bind("fn"),
      this);
  // Free functions used as thread bodies: pthread_create(..., f, ...),
  // std::thread t(f), std::async(f), boost::thread(f).
  auto Entry = declRefExpr(to(functionDecl().bind("entry")));
  Finder->addMatcher(
      callExpr(
          callee(functionDecl(hasAnyName("::pthread_create", "::std::async"))),
          hasAnyArgument(ignoringParenImpCasts(
              anyOf(Entry, unaryOperator(hasUnaryOperand(Entry)))))),
      this);
  Finder->addMatcher(
      cxxConstructExpr(
          hasDeclaration(cxxConstructorDecl(ofClass(hasAnyName(
              "::std::thread", "::std::jthread", "::boost::thread")))),
          hasAnyArgument(ignoringParenImpCasts(
              anyOf(Entry, unaryOperator(hasUnaryOperand(Entry)))))),
      this);
}

TimerUseIndex &UnstoppedTickerCheck::index(ASTContext &Ctx) {
  if (!Index)
    Index = std::make_unique<TimerUseIndex>(Ctx, Model);
  return *Index;
}

StaticInstanceIndex &UnstoppedTickerCheck::statics(ASTContext &Ctx) {
  if (!Statics)
    Statics = std::make_unique<StaticInstanceIndex>(Ctx);
  return *Statics;
}

/// main, or a function that runs an event loop: what it starts lives as long
/// as the program's loop by design.
bool UnstoppedTickerCheck::mainLike(const FunctionDecl *FD) {
  if (!FD)
    return false;
  auto It = MainLike.find(FD);
  if (It != MainLike.end())
    return It->second;
  bool R = FD->isMain() || (FD->getBody() && runsEventLoop(FD->getBody()));
  return MainLike[FD] = R;
}

void UnstoppedTickerCheck::check(const MatchFinder::MatchResult &Result) {
  SMgr = Result.SourceManager;
  LastCtx = Result.Context;
  if (const auto *E = Result.Nodes.getNodeAs<FunctionDecl>("entry")) {
    ThreadEntries.insert(E->getCanonicalDecl());
    return;
  }
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (!FD || !FD->getBody() || FD->isDependentContext())
    return;
  scanFunction(FD, *Result.Context);
}

void UnstoppedTickerCheck::scanFunction(const FunctionDecl *FD,
                                        ASTContext &Ctx) {
  struct Item {
    const Stmt *S;
    const FunctionDecl *Inner; // innermost function or lambda operator
    const Stmt *InnerBody;
  };
  llvm::SmallVector<Item, 64> Work{{FD->getBody(), FD, FD->getBody()}};
  bool Outer = mainLike(FD);
  unsigned Visited = 0;
  while (!Work.empty()) {
    Item It = Work.pop_back_val();
    if (!It.S || ++Visited > 200000)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(It.S)) {
      if (L->getBody())
        Work.push_back({L->getBody(), L->getCallOperator(), L->getBody()});
      continue;
    }
    if (isLoop(It.S) && !Outer) {
      if (const CallExpr *Wait = findTickerLoopWait(It.S, Waits, Ctx)) {
        const auto *MD = dyn_cast<CXXMethodDecl>(It.Inner);
        bool IsLambda = MD && MD->getParent()->isLambda();
        if (IsLambda) {
          reportLoop(It.S, Wait);
        } else if (MD && !MD->isStatic()) {
          if (!statics(Ctx).hasStaticInstance(MD->getParent()))
            reportLoop(It.S, Wait);
        } else {
          Pending.push_back({It.Inner, It.S, Wait});
        }
      }
    }
    if (const auto *CE = dyn_cast<CallExpr>(It.S)) {
      TimerCall TC = Model.classify(CE);
      if (TC.Role == TimerRole::Arm) {
        if (TC.Framework == TimerFramework::Asio ||
            (TC.Framework == TimerFramework::User &&
             calleeName(CE) == "async_wait"))
          checkAsio(CE, It.Inner);
        else if (!Outer)
          checkArm(CE, TC, It.InnerBody, FD, Ctx);
      } else if (TC.Role == TimerRole::CreateAndArm &&
                 TC.Framework == TimerFramework::GLib && !Outer) {
        checkGLib(CE, FD, Ctx);
      }
    }
    for (const Stmt *C : It.S->children())
      Work.push_back({C, It.Inner, It.InnerBody});
  }
}

void UnstoppedTickerCheck::onEndOfTranslationUnit() {
  for (const PendingLoop &P : Pending)
    if (ThreadEntries.count(P.Function->getCanonicalDecl()) &&
        !(LastCtx && index(*LastCtx).usesPthreadCancel()))
      reportLoop(P.Loop, P.Wait);
  Pending.clear();
}

void UnstoppedTickerCheck::reportLoop(const Stmt *Loop, const CallExpr *Wait) {
  if (!ReportedLocs.insert(exp(Loop->getBeginLoc()).getRawEncoding()).second)
    return;
  diag(exp(Loop->getBeginLoc()),
       "endless loop waits on every turn and has no exit: this periodic "
       "worker can never be stopped");
  diag(exp(Wait->getBeginLoc()), "waits here on every turn",
       DiagnosticIDs::Note);
  diag(exp(Loop->getBeginLoc()),
       "leave the loop when a std::atomic<bool> or std::stop_token says "
       "stop, or wait on a condition variable with a stop predicate and "
       "return when it holds",
       DiagnosticIDs::Note);
}

static const char *stopAdvice(TimerFramework F) {
  switch (F) {
  case TimerFramework::Posix:
    return "timer_delete() it";
  case TimerFramework::TimerFd:
    return "close() the timerfd";
  case TimerFramework::LibUv:
    return "uv_timer_stop() or uv_close() it";
  case TimerFramework::LibEvent:
    return "event_del() or event_free() it";
  case TimerFramework::Qt:
    return "stop() or delete it";
  case TimerFramework::GLib:
    return "g_source_remove() its id";
  default:
    return "stop it";
  }
}

/// Whether \p Body contains an endless loop with no exit (not counting
/// nested lambdas): the function never returns.
static bool neverReturns(const Stmt *Body, ASTContext &Ctx) {
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (isLoop(S) && isEndlessByCondition(S, Ctx) && !findLoopExits(S).any())
      return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

namespace {
enum class QtParent { None, Owner, ProcessWide, Other };
} // namespace

static QtParent qtParentOf(const CXXNewExpr *New, ASTContext &Ctx,
                           StaticInstanceIndex &Statics) {
  const CXXConstructExpr *Ctor = New->getConstructExpr();
  if (!Ctor || Ctor->getNumArgs() == 0 || isNullOrAbsent(Ctor->getArg(0), Ctx))
    return QtParent::None;
  const Expr *A = Ctor->getArg(0)->IgnoreParenCasts();
  if (isa<CXXThisExpr>(A))
    return QtParent::Owner;
  if (const auto *CE = dyn_cast<CallExpr>(A)) {
    if (const FunctionDecl *FD = CE->getDirectCallee()) {
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
        std::string Cls = qualifiedName(MD->getParent());
        if (MD->getIdentifier() && MD->getName() == "instance" &&
            (Cls == "QCoreApplication" || Cls == "QApplication" ||
             Cls == "QGuiApplication"))
          return QtParent::ProcessWide;
      }
      QualType R = FD->getReturnType();
      if (R->isPointerType() || R->isReferenceType())
        if (const CXXRecordDecl *RD = R->getPointeeType()->getAsCXXRecordDecl())
          if (Statics.hasStaticInstance(RD))
            return QtParent::ProcessWide;
    }
    return QtParent::Other;
  }
  const Expr *Inner = A;
  if (const auto *UO = dyn_cast<UnaryOperator>(A))
    if (UO->getOpcode() == UO_AddrOf)
      Inner = UO->getSubExpr()->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Inner))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (hasProgramLifetime(VD))
        return QtParent::ProcessWide;
  return QtParent::Other;
}

void UnstoppedTickerCheck::checkArm(const CallExpr *Arm, const TimerCall &TC,
                                    const Stmt *Body, const FunctionDecl *Outer,
                                    ASTContext &Ctx) {
  const ValueDecl *Key = handleKey(TC.Handle);
  if (!Key || isa<ParmVarDecl>(Key) || ReportedKeys.count(Key))
    return;
  if (const auto *VD = dyn_cast<VarDecl>(Key))
    if (!VD->isLocalVarDecl() || VD->isStaticLocal())
      return; // a global ticker lives for the program by design
  // Periodic?
  const Expr *Creation = nullptr;
  QtParent Parent = QtParent::None;
  const CXXRecordDecl *ShortLived = nullptr;
  switch (TC.Framework) {
  case TimerFramework::LibEvent: {
    if (calleeName(Arm) != "event_add" || Arm->getNumArgs() < 2 ||
        isNullOrAbsent(Arm->getArg(1), Ctx))
      return;
    Creation = index(Ctx).creationOf(Key);
    const auto *New = dyn_cast_or_null<CallExpr>(Creation);
    if (!New || !TimerModel::isPersistentTimerEvent(New, Ctx))
      return;
    if (Model.callbackStopsTimers(TimerModel::callbackOf(New),
                                  TimerFramework::LibEvent))
      return;
    break;
  }
  case TimerFramework::Qt: {
    if (!Model.isPeriodicArm(Arm, TC, Body, Ctx) || index(Ctx).singleShot(Key))
      return;
    Creation = index(Ctx).creationOf(Key);
    const auto *New = dyn_cast_or_null<CXXNewExpr>(Creation);
    if (!New)
      return; // by-value member, smart pointer, or not seen: owned
    Parent = qtParentOf(New, Ctx, statics(Ctx));
    if (Parent == QtParent::Owner || Parent == QtParent::Other)
      return;
    if (Parent == QtParent::ProcessWide) {
      if (IgnoreParentedQTimer)
        return;
      // Only a shorter-lived owner leaks by parenting to the application.
      const auto *MD = dyn_cast<CXXMethodDecl>(Outer);
      if (!MD || MD->isStatic() ||
          statics(Ctx).hasStaticInstance(MD->getParent()))
        return;
      ShortLived = MD->getParent();
    }
    break;
  }
  case TimerFramework::LibUv:
    if (!Model.isPeriodicArm(Arm, TC, Body, Ctx) || index(Ctx).usesUvWalk())
      return;
    if (Model.callbackStopsTimers(TimerModel::callbackOf(Arm),
                                  TimerFramework::LibUv))
      return;
    Creation = index(Ctx).creationOf(Key);
    break;
  default:
    if (!Model.isPeriodicArm(Arm, TC, Body, Ctx))
      return;
    Creation = index(Ctx).creationOf(Key);
    break;
  }
  TimerUseIndex &I = index(Ctx);
  if (I.released(Key) || I.escaped(Key))
    return;
  // A local timer in a function that never returns (an exit-free endless
  // loop, e.g. a sigwait/read loop consuming the ticks) lives exactly as
  // long as it is used.
  if (isa<VarDecl>(Key) && Body && neverReturns(Body, Ctx))
    return;
  const CXXRecordDecl *Owner = nullptr;
  if (const auto *FD = dyn_cast<FieldDecl>(Key)) {
    Owner = dyn_cast<CXXRecordDecl>(FD->getParent());
    if (Owner && (!classFullyVisible(Owner, StopMethods) ||
                  statics(Ctx).hasStaticInstance(Owner)))
      return;
  }
  ReportedKeys.insert(Key);
  // One warning per source location (template instantiations share it).
  if (!ReportedLocs.insert(exp(Arm->getBeginLoc()).getRawEncoding()).second)
    return;
  const char *Kind = timerKindName(TC.Framework);
  if (Parent == QtParent::ProcessWide && ShortLived) {
    diag(exp(Arm->getBeginLoc()),
         "periodic QTimer %0 is parented to an object that lives for the "
         "whole program and is never stopped: destroying the %1 does not "
         "stop it")
        << Key << ShortLived;
  } else if (Owner && Owner->getIdentifier()) {
    diag(exp(Arm->getBeginLoc()),
         "periodic %0 %1 is started here but no function of %2 stops or "
         "deletes it: it outlives its owner and fires for the rest of the "
         "process")
        << Kind << Key << Owner;
  } else {
    diag(exp(Arm->getBeginLoc()),
         "periodic %0 %1 is never stopped: nothing stops, deletes or hands "
         "it off, so it fires for the rest of the process")
        << Kind << Key;
  }
  if (Creation)
    diag(exp(Creation->getBeginLoc()), "%0 created here", DiagnosticIDs::Note)
        << Kind;
  diag(exp(Arm->getBeginLoc()),
       "%0 when its owner is done (in the destructor or a "
       "stop method)",
       DiagnosticIDs::Note)
      << stopAdvice(TC.Framework);
}

void UnstoppedTickerCheck::checkGLib(const CallExpr *Add,
                                     const FunctionDecl * /*Outer*/,
                                     ASTContext &Ctx) {
  const FunctionDecl *Cb = TimerModel::callbackOf(Add);
  if (!TimerModel::glibCallbackNeverRemoves(Cb))
    return;
  TimerUseIndex &I = index(Ctx);
  if (I.usesGSourceRemoveBy())
    return;
  if (!ReportedLocs.insert(exp(Add->getBeginLoc()).getRawEncoding()).second)
    return;
  std::string CbName = "the lambda";
  if (!(isa<CXXMethodDecl>(Cb) &&
        cast<CXXMethodDecl>(Cb)->getParent()->isLambda()))
    CbName = "'" + Cb->getNameAsString() + "'";
  // Where does the source id go?
  const ValueDecl *Key = nullptr;
  bool Discarded = true;
  for (const auto &P : ParentIndex::get(Ctx).parents(*Add)) {
    const Stmt *PS = P.get<Stmt>();
    const Decl *PD = P.get<Decl>();
    if (const auto *VD = dyn_cast_or_null<VarDecl>(PD)) {
      Key = VD;
      Discarded = false;
    } else if (PS && !isa<CompoundStmt>(PS) && !isa<CStyleCastExpr>(PS)) {
      Discarded = false;
      // id = g_timeout_add(...), possibly through an implicit cast.
      const Stmt *Cur = PS;
      if (isa<ImplicitCastExpr>(Cur)) {
        auto Up = ParentIndex::get(Ctx).parents(*Cur);
        Cur = Up.empty() ? nullptr : Up[0].get<Stmt>();
        if (!Cur && !Up.empty())
          if (const auto *VD = dyn_cast_or_null<VarDecl>(Up[0].get<Decl>()))
            Key = VD;
      }
      if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Cur))
        if (BO->getOpcode() == BO_Assign)
          Key = handleKey(BO->getLHS());
    }
  }
  if (!Discarded) {
    if (!Key)
      return; // passed on: not ours
    if (const auto *VD = dyn_cast<VarDecl>(Key))
      if (!VD->isLocalVarDecl() || VD->isStaticLocal())
        return;
    if (I.released(Key) || I.escaped(Key) || ReportedKeys.count(Key))
      return;
    if (const auto *FD = dyn_cast<FieldDecl>(Key))
      if (const auto *RD = dyn_cast<CXXRecordDecl>(FD->getParent()))
        if (!classFullyVisible(RD, StopMethods) ||
            statics(Ctx).hasStaticInstance(RD))
          return;
    ReportedKeys.insert(Key);
    diag(exp(Add->getBeginLoc()),
         "periodic GLib timeout source stored in %0 is never removed: its "
         "callback %1 never returns FALSE and nothing calls "
         "g_source_remove() on the id")
        << Key << CbName;
  } else {
    diag(exp(Add->getBeginLoc()),
         "periodic GLib timeout source can never be removed: its callback %0 "
         "never returns FALSE and the source id is discarded")
        << CbName;
  }
  diag(exp(Cb->getLocation()), "%0 always returns TRUE (G_SOURCE_CONTINUE)",
       DiagnosticIDs::Note)
      << CbName;
  diag(exp(Add->getBeginLoc()),
       "keep the id and g_source_remove() it when its owner goes away, or "
       "return G_SOURCE_REMOVE from the callback when done",
       DiagnosticIDs::Note);
}

void UnstoppedTickerCheck::checkAsio(const CallExpr *Wait,
                                     const FunctionDecl *Enclosing) {
  // A lambda's own operator() is not what re-arms: the function that
  // contains the lambda is.
  const CallExpr *Rearm = findUnstoppableRearm(Wait, Enclosing, Model);
  if (!Rearm ||
      !ReportedLocs.insert(Wait->getBeginLoc().getRawEncoding()).second)
    return;
  TimerCall TC = Model.classify(Wait);
  diag(exp(Wait->getBeginLoc()),
       "the handler of this async_wait re-arms %0 %1 on every run "
       "and ignores its error code: cancel() cannot stop this ticker")
      << timerKindName(TC.Framework) << handleKey(TC.Handle);
  diag(exp(Rearm->getBeginLoc()),
       "re-armed here even when the wait was cancelled (operation_aborted)",
       DiagnosticIDs::Note);
  diag(exp(Wait->getBeginLoc()),
       "return from the handler when the error code is set, or check a stop "
       "flag before re-arming",
       DiagnosticIDs::Note);
}

} // namespace clang::tidy::leak
