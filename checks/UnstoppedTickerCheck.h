//===--- UnstoppedTickerCheck.h - leak-tidy ------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_UNSTOPPEDTICKERCHECK_H
#define LEAK_TIDY_CHECKS_UNSTOPPEDTICKERCHECK_H

#include "checks/LeakCheck.h"

namespace clang::tidy::leak {

/// Finds a periodic timer, or a periodic worker loop, that nothing can ever stop.
///
/// Documentation: docs/leak-unstopped-ticker.md
class UnstoppedTickerCheck : public LeakCheck {
public:
  UnstoppedTickerCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_UNSTOPPEDTICKERCHECK_H
