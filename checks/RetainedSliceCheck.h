//===--- RetainedSliceCheck.h - leak-tidy ------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_RETAINEDSLICECHECK_H
#define LEAK_TIDY_CHECKS_RETAINEDSLICECHECK_H

#include "checks/LeakCheck.h"

namespace clang::tidy::leak {

/// Finds a small slice or alias of a large buffer kept alive by long-lived storage.
///
/// Documentation: docs/leak-retained-slice.md
class RetainedSliceCheck : public LeakCheck {
public:
  RetainedSliceCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_RETAINEDSLICECHECK_H
