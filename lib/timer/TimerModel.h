//===--- TimerModel.h - leak-tidy ----------------------------------------===//
//
// One description of every timer API leak-tidy knows: which calls create a
// timer, arm it (one-shot or periodic), stop it and destroy it, for POSIX
// timer_create and timerfd, Boost.Asio and standalone Asio timers, Qt's
// QTimer, libuv, GLib timeout sources and libevent. Users add their own
// timer types and functions through options (TimerOptions).
//
// The model answers questions about single expressions; the analyses that
// use it (lib/timer/PileUpFacts.h, lib/timer/TickerFacts.h) answer
// questions about loops and classes.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_TIMER_TIMERMODEL_H
#define LEAK_TIDY_LIB_TIMER_TIMERMODEL_H

#include "lib/core/NameMatcher.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class CXXRecordDecl;
class Expr;
class FunctionDecl;
class QualType;
class Stmt;
class ValueDecl;
namespace leaklib {

enum class TimerFramework {
  Posix,    ///< timer_create / timer_settime / timer_delete
  TimerFd,  ///< timerfd_create / timerfd_settime / close
  Asio,     ///< Boost.Asio or standalone Asio waitable/deadline timers
  Qt,       ///< QTimer
  LibUv,    ///< uv_timer_*
  GLib,     ///< g_timeout_add* / g_source_remove
  LibEvent, ///< event_new / event_add / event_del / event_free
  QtObject, ///< QObject::startTimer (returns an id) / QObject::killTimer(id)
  User,     ///< configured through options
};

/// Words for messages: "POSIX timer", "QTimer", ...
const char *timerKindName(TimerFramework F);

/// What a call does to a timer.
enum class TimerRole {
  None,
  Create,    ///< allocates a timer (handle in HandleArg, or the return value)
  Arm,       ///< starts it (one-shot or periodic, see isPeriodicArm)
  SetExpiry, ///< Asio expires_after/expires_at/expires_from_now
  Stop,      ///< stops it; the handle stays valid
  Destroy,   ///< deletes/closes/frees it (also stops it)
  CreateAndArm, ///< QTimer::singleShot, g_timeout_add*: one call does both
};

struct TimerCall {
  TimerRole Role = TimerRole::None;
  TimerFramework Framework = TimerFramework::User;
  /// The expression designating the timer: the argument, or the object of a
  /// member call. Null when the handle is the return value (event_new,
  /// timerfd_create, g_timeout_add) or there is none (singleShot).
  const Expr *Handle = nullptr;
  /// A CreateAndArm that returns an id another call cancels
  /// (g_timeout_add, QObject::startTimer, TimerIdFunctions).
  bool ReturnsId = false;
  /// ... and the timer it arms repeats until cancelled (startTimer,
  /// PeriodicTimerIdFunctions; a GLib source's callback decides).
  bool PeriodicId = false;
  explicit operator bool() const { return Role != TimerRole::None; }
};

/// What a free function of a timer API does (see TimerModel::functionRole).
struct TimerFunction {
  TimerRole Role = TimerRole::None;
  TimerFramework Framework = TimerFramework::User;
  int HandleArg = -1; ///< the argument naming the timer; -1: the result
};

/// The options of the timer family, declared once for both timer checks.
/// The checks read them from `.clang-tidy` (checks/TimerCheck.cpp): the
/// per-check key (`leak-timer-in-loop.TimerTypes`) first, then the
/// family-wide one (`leak.TimerTypes`). Free functions take the timer as
/// their first argument (arm/stop) or return it (create); types are classes
/// whose heap instances are timers.
struct TimerOptions {
  // The model (both checks).
  std::vector<std::string> TimerTypes;
  std::vector<std::string> CreateFunctions;      ///< TimerCreateFunctions
  std::vector<std::string> PeriodicArmFunctions; ///< PeriodicArmFunctions
  std::vector<std::string> StopFunctions;        ///< TimerStopFunctions
  /// TimerIdFunctions / PeriodicTimerIdFunctions: "Arm=Cancel" pairs of
  /// functions or member functions; Arm arms a one-shot (periodic) timer and
  /// returns its id, Cancel(id) stops it (`TimerQueue::schedule=
  /// TimerQueue::cancel`).
  std::vector<std::string> IdFunctions;
  std::vector<std::string> PeriodicIdFunctions;
  /// A QTimer parented to a long-lived object is by design (both checks).
  bool IgnoreParentedQTimer = false;
  // leak-timer-in-loop.
  /// Loops with at most this many iterations (a constant) are not reported.
  unsigned MaxConstantTripCount = 16;
  /// One-shot timers shorter than this do not pile up in a meaningful way.
  unsigned MinDelayMs = 1000;
  // leak-unstopped-ticker.
  /// Calls that block one turn of a periodic worker loop.
  std::vector<std::string> WaitFunctions;
  /// Method names that stop an owner (its timers may be stopped there).
  std::vector<std::string> StopMethods;

  /// The defaults of every option, in one place.
  static TimerOptions defaults();
};

/// The model: the built-in frameworks plus the configured names.
class TimerModel {
public:
  explicit TimerModel(const TimerOptions &Opts = TimerOptions::defaults());

  /// Whether \p RD is a timer class (Asio timers, QTimer, configured types).
  bool isTimerClass(const CXXRecordDecl *RD) const;
  /// The framework of a timer class (User for configured types).
  TimerFramework classFramework(const CXXRecordDecl *RD) const;
  /// The timer class of \p T (a class, or a pointer/reference/smart pointer
  /// to one), or null.
  const CXXRecordDecl *timerClassOf(QualType T) const;

  /// Classifies a call (free function, member call, or static member).
  TimerCall classify(const CallExpr *Call) const;
  /// What the free function \p FD does (a C API function or a configured
  /// one), also when it is not called but passed (a deleter `&event_free`).
  TimerFunction functionRole(const FunctionDecl *FD) const;

  /// Whether an arm call is known to arm a *periodic* timer: timer_settime /
  /// timerfd_settime whose itimerspec has a non-zero constant it_interval
  /// (looked up in \p Scope, the enclosing function body), uv_timer_start
  /// with a non-zero constant repeat, QTimer::start (periodic unless
  /// setSingleShot(true) is seen: the caller checks that), configured
  /// periodic arm functions. Unknown: false.
  bool isPeriodicArm(const CallExpr *Arm, const TimerCall &TC,
                     const Stmt *Scope, ASTContext &Ctx) const;

  /// libevent: whether an event_new / event_assign call creates a pure timer
  /// event with EV_PERSIST (fd -1, no EV_READ/EV_WRITE/EV_SIGNAL).
  static bool isPersistentTimerEvent(const CallExpr *EventNew, ASTContext &Ctx);
  /// Whether event_new()/event_assign() makes a timer: the fd is a constant
  /// -1 and the flags (when constant) ask for no I/O or signal
  /// (`evtimer_new(b, cb, arg)` is `event_new(b, -1, 0, cb, arg)`). An event on
  /// a socket is not a timer.
  static bool isTimerEvent(const CallExpr *EventNew, ASTContext &Ctx);

  /// The callback function a create/arm call installs, if visible: GLib's
  /// GSourceFunc, libuv's uv_timer_cb, libevent's callback. Looks through
  /// casts (G_SOURCE_FUNC) and lambdas converted to function pointers (the
  /// lambda's call operator is returned).
  static const FunctionDecl *callbackOf(const CallExpr *Call);

  /// The duration a create/arm call sets, in seconds, when it is a constant
  /// (g_timeout_add ms, g_timeout_add_seconds s, singleShot ms or chrono,
  /// uv_timer_start timeout, an Asio timer's chrono duration).
  static std::optional<double>
  constantDelay(const CallExpr *Call, const TimerCall &TC, ASTContext &Ctx);

  /// The value in seconds of a std::chrono::duration constant expression.
  static std::optional<double> chronoSeconds(const Expr *E, ASTContext &Ctx);

  /// Whether a GLib source callback can never ask to be removed: its body is
  /// visible, has at least one return, and every return value is a non-zero
  /// constant (TRUE / G_SOURCE_CONTINUE), and it never calls g_source_remove
  /// or g_source_destroy.
  static bool glibCallbackNeverRemoves(const FunctionDecl *Callback);

  /// Whether \p F (a visible callback) calls any of the stop/destroy
  /// functions of \p Framework (uv_timer_stop/uv_close, event_del/free, ...).
  bool callbackStopsTimers(const FunctionDecl *F,
                           TimerFramework Framework) const;

private:
  /// QObject::startTimer/killTimer and the configured id functions.
  TimerCall idCall(const FunctionDecl *FD, const CallExpr *Call) const;

  NameMatcher UserTypes;
  NameMatcher UserIdArm, UserPeriodicIdArm, UserIdCancel;
  NameMatcher UserCreate;
  NameMatcher UserPeriodicArm;
  NameMatcher UserStop;
};

/// The declaration a handle expression designates, looking through parens,
/// casts, &, *, std::move, array subscripts (the array), smart pointer
/// operator-> and get(): a VarDecl or a FieldDecl (any instance). Null when
/// unknown.
const ValueDecl *handleKey(const Expr *E);

/// Whether \p E (after parens/casts) is a null pointer constant or absent.
bool isNullOrAbsent(const Expr *E, ASTContext &Ctx);

/// Why an "Arm=Cancel" entry of TimerIdFunctions is invalid, or "".
std::string validateIdFunctionPair(llvm::StringRef Entry);

/// Human-readable duration: "3 minutes", "500 ms", "2 hours".
std::string describeDuration(double Seconds);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_TIMER_TIMERMODEL_H
