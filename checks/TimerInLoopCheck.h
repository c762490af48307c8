//===--- TimerInLoopCheck.h - leak-tidy ------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_TIMERINLOOPCHECK_H
#define LEAK_TIDY_CHECKS_TIMERINLOOPCHECK_H

#include "checks/LeakCheck.h"

namespace clang::tidy::leak {

/// Finds a timer created on every loop iteration that outlives the iteration.
///
/// Documentation: docs/leak-timer-in-loop.md
class TimerInLoopCheck : public LeakCheck {
public:
  TimerInLoopCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_TIMERINLOOPCHECK_H
