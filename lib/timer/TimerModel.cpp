//===--- TimerModel.cpp - leak-tidy --------------------------------------===//
#include "lib/timer/TimerModel.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/StringSwitch.h"
#include <cmath>

namespace clang {
namespace leaklib {

const char *timerKindName(TimerFramework F) {
  switch (F) {
  case TimerFramework::Posix:
    return "POSIX timer";
  case TimerFramework::TimerFd:
    return "timerfd";
  case TimerFramework::Asio:
    return "Asio timer";
  case TimerFramework::Qt:
    return "QTimer";
  case TimerFramework::LibUv:
    return "libuv timer";
  case TimerFramework::GLib:
    return "GLib timeout source";
  case TimerFramework::LibEvent:
    return "libevent timer";
  case TimerFramework::QtObject:
    return "QObject timer";
  case TimerFramework::User:
    return "timer";
  }
  return "timer";
}

namespace {
/// One free function of a C timer API.
struct CFunction {
  const char *Name;
  TimerFramework Framework;
  TimerRole Role;
  int HandleArg; ///< -1: the handle is the return value
};

// The C APIs, one row per function. The handle argument is the timer the
// call works on (timer_t*, uv_timer_t*, struct event*, source id, fd).
const CFunction CFunctions[] = {
    // POSIX per-process timers.
    {"timer_create", TimerFramework::Posix, TimerRole::Create, 2},
    {"timer_settime", TimerFramework::Posix, TimerRole::Arm, 0},
    {"timer_delete", TimerFramework::Posix, TimerRole::Destroy, 0},
    // Linux timerfd.
    {"timerfd_create", TimerFramework::TimerFd, TimerRole::Create, -1},
    {"timerfd_settime", TimerFramework::TimerFd, TimerRole::Arm, 0},
    // libuv.
    {"uv_timer_init", TimerFramework::LibUv, TimerRole::Create, 1},
    {"uv_timer_start", TimerFramework::LibUv, TimerRole::Arm, 0},
    {"uv_timer_again", TimerFramework::LibUv, TimerRole::Arm, 0},
    {"uv_timer_stop", TimerFramework::LibUv, TimerRole::Stop, 0},
    {"uv_close", TimerFramework::LibUv, TimerRole::Destroy, 0},
    // GLib main loop.
    {"g_timeout_add", TimerFramework::GLib, TimerRole::CreateAndArm, -1},
    {"g_timeout_add_full", TimerFramework::GLib, TimerRole::CreateAndArm, -1},
    {"g_timeout_add_seconds", TimerFramework::GLib, TimerRole::CreateAndArm,
     -1},
    {"g_timeout_add_seconds_full", TimerFramework::GLib,
     TimerRole::CreateAndArm, -1},
    {"g_timeout_add_once", TimerFramework::GLib, TimerRole::CreateAndArm, -1},
    {"g_timeout_add_seconds_once", TimerFramework::GLib,
     TimerRole::CreateAndArm, -1},
    {"g_source_remove", TimerFramework::GLib, TimerRole::Destroy, 0},
    // libevent (evtimer_new/evtimer_add/evtimer_del are macros over these).
    {"event_new", TimerFramework::LibEvent, TimerRole::Create, -1},
    {"event_assign", TimerFramework::LibEvent, TimerRole::Create, 0},
    {"event_add", TimerFramework::LibEvent, TimerRole::Arm, 0},
    {"event_del", TimerFramework::LibEvent, TimerRole::Stop, 0},
    {"event_free", TimerFramework::LibEvent, TimerRole::Destroy, 0},
};

const char *AsioTimerClasses[] = {
    "boost::asio::basic_waitable_timer", "boost::asio::basic_deadline_timer",
    "asio::basic_waitable_timer", "asio::basic_deadline_timer"};

} // namespace

TimerOptions TimerOptions::defaults() {
  TimerOptions O;
  O.WaitFunctions = defaultWaitFunctions();
  O.StopMethods = {"stop", "close", "shutdown", "cancel", "quit", "terminate"};
  return O;
}

TimerModel::TimerModel(const TimerOptions &Opts)
    : UserTypes(Opts.TimerTypes), UserCreate(Opts.CreateFunctions),
      UserPeriodicArm(Opts.PeriodicArmFunctions), UserStop(Opts.StopFunctions) {
  auto AddPairs = [&](const std::vector<std::string> &Pairs, NameMatcher &Arm) {
    for (llvm::StringRef P : Pairs) {
      auto [A, C] = P.split('=');
      if (!validateIdFunctionPair(P).empty())
        continue;
      Arm.add(A.trim());
      UserIdCancel.add(C.trim());
    }
  };
  AddPairs(Opts.IdFunctions, UserIdArm);
  AddPairs(Opts.PeriodicIdFunctions, UserPeriodicIdArm);
}

std::string validateIdFunctionPair(llvm::StringRef Entry) {
  auto [A, C] = Entry.split('=');
  if (!Entry.contains('=') || C.contains('='))
    return "'" + Entry.str() +
           "' is not of the form Arm=Cancel (e.g. "
           "'TimerQueue::schedule=TimerQueue::cancel')";
  std::string E = validateQualifiedName(A.trim());
  if (E.empty())
    E = validateQualifiedName(C.trim());
  return E.empty() ? "" : "'" + Entry.str() + "': " + E;
}

TimerCall TimerModel::idCall(const FunctionDecl *FD,
                             const CallExpr *Call) const {
  TimerCall TC;
  llvm::StringRef Id = FD->getName();
  if (Id != "startTimer" && Id != "killTimer" &&
      !UserIdArm.mayMatchIdentifier(Id) &&
      !UserPeriodicIdArm.mayMatchIdentifier(Id) &&
      !UserIdCancel.mayMatchIdentifier(Id))
    return TC;
  std::string N = qualifiedName(FD);
  bool Qt = N == "QObject::startTimer" || N == "QObject::killTimer";
  bool Cancel = N == "QObject::killTimer";
  TC.Framework = Qt ? TimerFramework::QtObject : TimerFramework::User;
  if (Qt) {
    TC.PeriodicId = !Cancel;
  } else if (!UserPeriodicIdArm.empty() && UserPeriodicIdArm.matches(FD)) {
    TC.PeriodicId = true;
  } else if (!UserIdCancel.empty() && UserIdCancel.matches(FD)) {
    Cancel = true;
  } else if (UserIdArm.empty() || !UserIdArm.matches(FD)) {
    return TC;
  }
  if (Cancel) {
    if (Call->getNumArgs() == 0)
      return TC;
    // The id: the first integer argument (`cancel_timer(queue, id)`).
    TC.Role = TimerRole::Destroy;
    TC.Handle = Call->getArg(0);
    for (const Expr *A : Call->arguments())
      if (A->getType()->isIntegralOrEnumerationType()) {
        TC.Handle = A;
        break;
      }
    return TC;
  }
  TC.Role = TimerRole::CreateAndArm;
  TC.ReturnsId = true;
  return TC;
}

static std::string recordName(const CXXRecordDecl *RD) {
  return RD ? qualifiedName(RD) : std::string();
}

TimerFramework TimerModel::classFramework(const CXXRecordDecl *RD) const {
  std::string N = recordName(RD);
  if (N == "QTimer")
    return TimerFramework::Qt;
  for (const char *A : AsioTimerClasses)
    if (N == A)
      return TimerFramework::Asio;
  return TimerFramework::User;
}

bool TimerModel::isTimerClass(const CXXRecordDecl *RD) const {
  if (!RD)
    return false;
  std::string N = recordName(RD);
  if (N == "QTimer")
    return true;
  for (const char *A : AsioTimerClasses)
    if (N == A)
      return true;
  return !UserTypes.empty() && UserTypes.matches(RD);
}

const CXXRecordDecl *TimerModel::timerClassOf(QualType T) const {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return nullptr;
  if (isTimerClass(RD))
    return RD;
  // std::shared_ptr<T> / std::unique_ptr<T> / boost::shared_ptr<T> /
  // QScopedPointer / QPointer: look at the first template argument.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    std::string N = qualifiedName(Spec);
    if (N == "std::shared_ptr" || N == "std::unique_ptr" ||
        N == "boost::shared_ptr" || N == "QScopedPointer" ||
        N == "QSharedPointer" || N == "QPointer") {
      const TemplateArgumentList &Args = Spec->getTemplateArgs();
      if (Args.size() >= 1 && Args[0].getKind() == TemplateArgument::Type)
        if (const CXXRecordDecl *Inner =
                Args[0].getAsType()->getAsCXXRecordDecl())
          if (isTimerClass(Inner))
            return Inner;
    }
  }
  return nullptr;
}

TimerCall TimerModel::classify(const CallExpr *Call) const {
  TimerCall TC;
  if (!Call)
    return TC;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return TC;
  llvm::StringRef Name = FD->getName();
  if (TimerCall Id = idCall(FD, Call))
    return Id;

  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    // The class of the object, not of the method: deleteLater() is
    // QObject's, called on a QTimer.
    const CXXRecordDecl *RD = MD->getParent();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (const Expr *ObjE = MC->getImplicitObjectArgument())
        if (const CXXRecordDecl *Obj =
                timerClassOf(ObjE->IgnoreParenImpCasts()->getType()))
          RD = Obj;
    if (!isTimerClass(RD))
      return TC;
    TC.Framework = classFramework(RD);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      TC.Handle = MC->getImplicitObjectArgument();
    if (MD->isStatic()) {
      if (TC.Framework == TimerFramework::Qt && Name == "singleShot")
        TC.Role = TimerRole::CreateAndArm;
      TC.Handle = nullptr;
      return TC;
    }
    if (TC.Framework == TimerFramework::Qt) {
      TC.Role = llvm::StringSwitch<TimerRole>(Name)
                    .Case("start", TimerRole::Arm)
                    .Case("stop", TimerRole::Stop)
                    .Case("deleteLater", TimerRole::Destroy)
                    .Default(TimerRole::None);
      return TC;
    }
    TC.Role = llvm::StringSwitch<TimerRole>(Name)
                  .Cases({"async_wait", "wait"}, TimerRole::Arm)
                  .Cases({"expires_after", "expires_at", "expires_from_now"},
                         TimerRole::SetExpiry)
                  .Cases({"cancel", "cancel_one"}, TimerRole::Stop)
                  .Default(TimerRole::None);
    if (TC.Framework == TimerFramework::User)
      TC.Role = llvm::StringSwitch<TimerRole>(Name)
                    .Cases({"start", "async_wait", "arm"}, TimerRole::Arm)
                    .Cases({"stop", "cancel"}, TimerRole::Stop)
                    .Cases({"close", "destroy"}, TimerRole::Destroy)
                    .Default(TimerRole::None);
    return TC;
  }

  TimerFunction F = functionRole(FD);
  TC.Role = F.Role;
  TC.Framework = F.Framework;
  TC.ReturnsId =
      F.Role == TimerRole::CreateAndArm && F.Framework == TimerFramework::GLib;
  if (F.HandleArg >= 0 &&
      static_cast<unsigned>(F.HandleArg) < Call->getNumArgs())
    TC.Handle = Call->getArg(F.HandleArg);
  else if (F.HandleArg >= 0 && F.Framework == TimerFramework::User)
    TC.Role = TimerRole::None; // a configured arm/stop needs the timer
  return TC;
}

TimerFunction TimerModel::functionRole(const FunctionDecl *FD) const {
  TimerFunction F;
  if (!FD || !FD->getIdentifier() || isa<CXXMethodDecl>(FD))
    return F;
  llvm::StringRef Name = FD->getName();
  // The C APIs live at global scope (namespaced functions of the same name
  // are someone else's); configured names are matched below.
  if (FD->getDeclContext()->getRedeclContext()->isTranslationUnit() ||
      FD->isExternC())
    for (const CFunction &C : CFunctions)
      if (Name == C.Name)
        return {C.Role, C.Framework, C.HandleArg};
  if (!UserCreate.empty() && UserCreate.matches(FD))
    return {TimerRole::Create, TimerFramework::User, -1};
  if (!UserPeriodicArm.empty() && UserPeriodicArm.matches(FD))
    return {TimerRole::Arm, TimerFramework::User, 0};
  if (!UserStop.empty() && UserStop.matches(FD))
    return {TimerRole::Destroy, TimerFramework::User, 0};
  return F;
}

const ValueDecl *handleKey(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 16; ++Depth) {
    E = ignoreTransparent(E, PeelTemporaries | PeelExplicitCasts |
                                 PeelAddressOf | PeelMoves);
    if (!E)
      return nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl();
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
      E = ASE->getBase();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if ((OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star ||
           OC->getOperator() == OO_Subscript) &&
          OC->getNumArgs() >= 1) {
        E = OC->getArg(0);
        continue;
      }
      return nullptr;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      if (MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
          (MC->getMethodDecl()->getName() == "get" ||
           MC->getMethodDecl()->getName() == "data")) {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      return nullptr;
    }
    return nullptr;
  }
  return nullptr;
}

bool isNullOrAbsent(const Expr *E, ASTContext &Ctx) {
  if (!E || isa<CXXDefaultArgExpr>(E))
    return !E || cast<CXXDefaultArgExpr>(E)->getExpr()->isNullPointerConstant(
                     Ctx, Expr::NPC_ValueDependentIsNotNull);
  return E->IgnoreParenCasts()->isNullPointerConstant(
             Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

static std::optional<int64_t> constInt(const Expr *E, ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  Expr::EvalResult R;
  if (E->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getExtValue();
  return std::nullopt;
}

std::optional<double> TimerModel::chronoSeconds(const Expr *E,
                                                ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  QualType T = E->getType().getNonReferenceType();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  if (!Spec || qualifiedName(Spec) != "std::chrono::duration")
    return std::nullopt;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  if (Args.size() < 2 || Args[1].getKind() != TemplateArgument::Type)
    return std::nullopt;
  const auto *Ratio = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      Args[1].getAsType()->getAsCXXRecordDecl());
  if (!Ratio || Ratio->getTemplateArgs().size() < 2)
    return std::nullopt;
  const TemplateArgument &Num = Ratio->getTemplateArgs()[0];
  const TemplateArgument &Den = Ratio->getTemplateArgs()[1];
  if (Num.getKind() != TemplateArgument::Integral ||
      Den.getKind() != TemplateArgument::Integral)
    return std::nullopt;
  double N = Num.getAsIntegral().getSExtValue();
  double D = Den.getAsIntegral().getSExtValue();
  if (D == 0)
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsRValue(R, Ctx) || !R.Val.isStruct() ||
      R.Val.getStructNumFields() < 1)
    return std::nullopt;
  const APValue &Count = R.Val.getStructField(0);
  double C = 0;
  if (Count.isInt())
    C = Count.getInt().getSExtValue();
  else if (Count.isFloat())
    C = Count.getFloat().convertToDouble();
  else
    return std::nullopt;
  return C * N / D;
}

/// A delay argument: an integer in \p Unit seconds, or a chrono duration.
static std::optional<double> delayArg(const Expr *E, double Unit,
                                      ASTContext &Ctx) {
  if (!E)
    return std::nullopt;
  if (auto S = TimerModel::chronoSeconds(E, Ctx))
    return S;
  if (auto I = constInt(E, Ctx))
    return *I * Unit;
  return std::nullopt;
}

std::optional<double> TimerModel::constantDelay(const CallExpr *Call,
                                                const TimerCall &TC,
                                                ASTContext &Ctx) {
  llvm::StringRef N = calleeName(Call);
  unsigned NA = Call->getNumArgs();
  switch (TC.Framework) {
  case TimerFramework::GLib:
    if (N == "g_timeout_add" || N == "g_timeout_add_once")
      return NA > 0 ? delayArg(Call->getArg(0), 0.001, Ctx) : std::nullopt;
    if (N == "g_timeout_add_seconds" || N == "g_timeout_add_seconds_once")
      return NA > 0 ? delayArg(Call->getArg(0), 1, Ctx) : std::nullopt;
    if (N == "g_timeout_add_full")
      return NA > 1 ? delayArg(Call->getArg(1), 0.001, Ctx) : std::nullopt;
    if (N == "g_timeout_add_seconds_full")
      return NA > 1 ? delayArg(Call->getArg(1), 1, Ctx) : std::nullopt;
    return std::nullopt;
  case TimerFramework::Qt:
    if (N == "singleShot" && NA > 0)
      return delayArg(Call->getArg(0), 0.001, Ctx);
    return std::nullopt;
  case TimerFramework::QtObject:
    if (N == "startTimer" && NA > 0)
      return delayArg(Call->getArg(0), 0.001, Ctx);
    return std::nullopt;
  case TimerFramework::User:
    // A configured id arm (TimerIdFunctions): its first std::chrono
    // argument; a plain integer's unit is not known.
    if (TC.ReturnsId)
      for (const Expr *A : Call->arguments())
        if (auto S = chronoSeconds(A, Ctx))
          return S;
    return std::nullopt;
  case TimerFramework::LibUv:
    if (N == "uv_timer_start" && NA > 2)
      return delayArg(Call->getArg(2), 0.001, Ctx);
    return std::nullopt;
  case TimerFramework::Asio:
    if (TC.Role == TimerRole::SetExpiry && NA > 0 &&
        (N == "expires_after" || N == "expires_from_now"))
      return chronoSeconds(Call->getArg(0), Ctx);
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

/// Whether a `struct itimerspec` initializer or assignment sets a non-zero
/// constant it_interval. Returns nullopt when unknown.
static std::optional<bool> intervalNonZero(const Expr *IntervalInit,
                                           ASTContext &Ctx) {
  if (!IntervalInit)
    return std::nullopt;
  IntervalInit = IntervalInit->IgnoreParenImpCasts();
  if (isa<ImplicitValueInitExpr>(IntervalInit))
    return false;
  if (const auto *IL = dyn_cast<InitListExpr>(IntervalInit)) {
    bool Any = false;
    for (const Expr *I : IL->inits()) {
      if (isa<ImplicitValueInitExpr>(I->IgnoreParenImpCasts()))
        continue;
      auto V = constInt(I, Ctx);
      if (!V)
        return std::nullopt;
      Any = Any || *V != 0;
    }
    return Any;
  }
  return std::nullopt;
}

static const FieldDecl *fieldNamed(const RecordDecl *RD, llvm::StringRef N) {
  if (!RD)
    return nullptr;
  for (const FieldDecl *F : RD->fields())
    if (F->getIdentifier() && F->getName() == N)
      return F;
  return nullptr;
}

/// POSIX/timerfd: is the itimerspec passed to a settime call periodic?
static bool itimerspecPeriodic(const Expr *SpecArg, const Stmt *Scope,
                               ASTContext &Ctx) {
  const auto *Key = dyn_cast_or_null<VarDecl>(handleKey(SpecArg));
  if (!Key)
    return false;
  bool Periodic = false;
  // The initializer.
  if (const Expr *Init = Key->getInit()) {
    if (const auto *IL = dyn_cast<InitListExpr>(Init->IgnoreParenImpCasts())) {
      const RecordDecl *RD = Key->getType()->getAsRecordDecl();
      if (const FieldDecl *F = fieldNamed(RD, "it_interval"))
        if (F->getFieldIndex() < IL->getNumInits())
          if (auto NZ = intervalNonZero(IL->getInit(F->getFieldIndex()), Ctx))
            Periodic = *NZ;
    }
  }
  // Assignments `spec.it_interval.tv_sec = K` in the scope.
  forEachStmt(
      Scope,
      [&](const Stmt *S) {
        const auto *BO = dyn_cast<BinaryOperator>(S);
        if (!BO || BO->getOpcode() != BO_Assign)
          return Walk::Continue;
        const auto *Inner =
            dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
        const auto *Outer =
            Inner
                ? dyn_cast<MemberExpr>(Inner->getBase()->IgnoreParenImpCasts())
                : nullptr;
        if (Outer && Outer->getMemberDecl()->getIdentifier() &&
            Outer->getMemberDecl()->getName() == "it_interval" &&
            handleKey(Outer->getBase()) == Key)
          if (auto V = constInt(BO->getRHS(), Ctx))
            if (*V != 0)
              Periodic = true;
        return Walk::Continue;
      },
      LambdaPolicy::Enter);
  return Periodic;
}

bool TimerModel::isPeriodicArm(const CallExpr *Arm, const TimerCall &TC,
                               const Stmt *Scope, ASTContext &Ctx) const {
  if (TC.Role != TimerRole::Arm)
    return false;
  llvm::StringRef N = calleeName(Arm);
  switch (TC.Framework) {
  case TimerFramework::Posix:
  case TimerFramework::TimerFd:
    return Arm->getNumArgs() >= 3 &&
           itimerspecPeriodic(Arm->getArg(2), Scope, Ctx);
  case TimerFramework::LibUv:
    if (N == "uv_timer_start" && Arm->getNumArgs() >= 4)
      if (auto R = constInt(Arm->getArg(3), Ctx))
        return *R > 0;
    return false;
  case TimerFramework::Qt:
    return N == "start";
  case TimerFramework::User:
    return Arm->getDirectCallee() && !UserPeriodicArm.empty() &&
           UserPeriodicArm.matches(Arm->getDirectCallee());
  default:
    return false;
  }
}

/// Where event_new()/event_assign() take the fd; the flags follow it.
static unsigned eventFdArg(const CallExpr *EventNew) {
  llvm::StringRef N = calleeName(EventNew);
  unsigned FdArg = N == "event_new" ? 1 : N == "event_assign" ? 2 : 0;
  return FdArg && EventNew->getNumArgs() > FdArg + 1 ? FdArg : 0;
}

bool TimerModel::isTimerEvent(const CallExpr *EventNew, ASTContext &Ctx) {
  unsigned FdArg = eventFdArg(EventNew);
  if (!FdArg)
    return false;
  auto Fd = constInt(EventNew->getArg(FdArg), Ctx);
  if (!Fd || *Fd != -1)
    return false;
  const int64_t EvRead = 0x02, EvWrite = 0x04, EvSignal = 0x08;
  auto Flags = constInt(EventNew->getArg(FdArg + 1), Ctx);
  return !Flags || !(*Flags & (EvRead | EvWrite | EvSignal));
}

bool TimerModel::isPersistentTimerEvent(const CallExpr *EventNew,
                                        ASTContext &Ctx) {
  if (!isTimerEvent(EventNew, Ctx))
    return false;
  const int64_t EvPersist = 0x10;
  auto Flags = constInt(EventNew->getArg(eventFdArg(EventNew) + 1), Ctx);
  return Flags && (*Flags & EvPersist);
}

const FunctionDecl *TimerModel::callbackOf(const CallExpr *Call) {
  llvm::StringRef N = calleeName(Call);
  int Arg = -1;
  if (N == "g_timeout_add" || N == "g_timeout_add_seconds" ||
      N == "uv_timer_start" || N == "g_timeout_add_once" ||
      N == "g_timeout_add_seconds_once")
    Arg = 1;
  else if (N == "g_timeout_add_full" || N == "g_timeout_add_seconds_full")
    Arg = 2;
  else if (N == "event_new")
    Arg = 3;
  else if (N == "event_assign")
    Arg = 4;
  if (Arg < 0 || static_cast<unsigned>(Arg) >= Call->getNumArgs())
    return nullptr;
  const Expr *E = Call->getArg(Arg);
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_AddrOf) {
        E = UO->getSubExpr();
        continue;
      }
      break;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<FunctionDecl>(DRE->getDecl());
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      return L->getCallOperator();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      // lambda -> function pointer conversion operator call
      E = MC->getImplicitObjectArgument();
      continue;
    }
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MTE->getSubExpr();
      continue;
    }
    break;
  }
  return nullptr;
}

/// Calls and returns in a function body, not looking into nested lambdas.
template <typename Fn> static void forEachOwnStmt(const Stmt *Body, Fn F) {
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        if (isa<LambdaExpr, BlockExpr>(S))
          return Walk::SkipChildren;
        F(S);
        return Walk::Continue;
      },
      LambdaPolicy::Skip);
}

bool TimerModel::glibCallbackNeverRemoves(const FunctionDecl *Callback) {
  if (!Callback)
    return false;
  const FunctionDecl *Def = nullptr;
  if (!Callback->hasBody(Def) || !Def->getBody())
    return false;
  ASTContext &Ctx = Def->getASTContext();
  bool SawReturn = false, CanRemove = false;
  forEachOwnStmt(Def->getBody(), [&](const Stmt *S) {
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      SawReturn = true;
      auto V = constInt(R->getRetValue(), Ctx);
      if (!V || *V == 0)
        CanRemove = true;
    } else if (const auto *CE = dyn_cast<CallExpr>(S)) {
      llvm::StringRef N = calleeName(CE);
      if (N == "g_source_remove" || N == "g_source_destroy" ||
          N.starts_with("g_source_remove_by"))
        CanRemove = true;
    }
  });
  return SawReturn && !CanRemove;
}

bool TimerModel::callbackStopsTimers(const FunctionDecl *F,
                                     TimerFramework Framework) const {
  if (!F)
    return false;
  const FunctionDecl *Def = nullptr;
  if (!F->hasBody(Def) || !Def->getBody())
    return false;
  bool Stops = false;
  forEachOwnStmt(Def->getBody(), [&](const Stmt *S) {
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      TimerCall TC = classify(CE);
      if (TC.Framework == Framework &&
          (TC.Role == TimerRole::Stop || TC.Role == TimerRole::Destroy))
        Stops = true;
    }
  });
  return Stops;
}

std::string describeDuration(double Seconds) {
  auto Fmt = [](double V, const char *Unit) {
    double R = std::round(V * 10) / 10;
    std::string Num =
        (R == std::floor(R)) ? std::to_string((long long)R) : std::to_string(R);
    if (R != std::floor(R)) {
      Num.erase(Num.find_last_not_of('0') + 1);
    }
    std::string U = Unit;
    if (R != 1 && U != "ms")
      U += "s";
    return Num + " " + U;
  };
  if (Seconds < 1)
    return Fmt(Seconds * 1000, "ms");
  if (Seconds < 60)
    return Fmt(Seconds, "second");
  if (Seconds < 3600)
    return Fmt(Seconds / 60, "minute");
  if (Seconds < 86400)
    return Fmt(Seconds / 3600, "hour");
  return Fmt(Seconds / 86400, "day");
}

} // namespace leaklib
} // namespace clang
