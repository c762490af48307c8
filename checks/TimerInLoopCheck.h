//===--- TimerInLoopCheck.h - leak-tidy -----------------------------------===//
#ifndef LEAK_TIDY_CHECKS_TIMERINLOOPCHECK_H
#define LEAK_TIDY_CHECKS_TIMERINLOOPCHECK_H

#include "checks/TimerCheck.h"
#include "lib/timer/PileUpFacts.h"
#include "lib/timer/TimerModel.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace clang::tidy::leak {

/// Finds a timer created on every loop iteration that outlives the iteration.
///
/// Documentation: docs/leak-timer-in-loop.md
class TimerInLoopCheck : public TimerCheck {
public:
  TimerInLoopCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;

private:
  void report(const leaklib::LoopPileUp &F, const SourceManager &SM);

  leaklib::TimerOptions Opts;
  leaklib::TimerModel Model;
  std::unique_ptr<leaklib::PileUpFacts> Facts; // one per translation unit
  llvm::DenseSet<unsigned> Reported; // raw source locations of warnings
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_TIMERINLOOPCHECK_H
