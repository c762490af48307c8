//===--- TimerCheck.h - leak-tidy -----------------------------------------===//
//
// The common base of the timer family's checks (leak-timer-in-loop,
// leak-unstopped-ticker): reads the family's options once, into one
// leaklib::TimerOptions, with the defaults of TimerOptions::defaults().
// Every option is read from the check's own key first
// (`leak-timer-in-loop.TimerTypes`), then from the family-wide key
// (`leak.TimerTypes`), which serves both checks.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_TIMERCHECK_H
#define LEAK_TIDY_CHECKS_TIMERCHECK_H

#include "checks/LeakCheck.h"
#include "lib/timer/TimerModel.h"

namespace clang::tidy::leak {

class TimerCheck : public LeakCheck {
public:
  TimerCheck(StringRef Name, ClangTidyContext *Context);
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return true; // the C APIs (POSIX, libuv, GLib, libevent) too
  }

protected:
  /// Which check-specific options to read besides the model's.
  enum class Reads { PileUp, Ticker };
  /// The options of the family: the model's (TimerTypes,
  /// TimerCreateFunctions, PeriodicArmFunctions, TimerStopFunctions),
  /// IgnoreParentedQTimer, and those of \p What (MaxConstantTripCount and
  /// MinDelayMs; WaitFunctions and StopMethods).
  leaklib::TimerOptions readTimerOptions(Reads What);
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_TIMERCHECK_H
