//===--- UnboundedGlobalCacheCheck.h - leak-tidy ------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_UNBOUNDEDGLOBALCACHECHECK_H
#define LEAK_TIDY_CHECKS_UNBOUNDEDGLOBALCACHECHECK_H

#include "checks/LeakCheck.h"

namespace clang::tidy::leak {

/// Finds a static-lifetime container that grows with run-time keys and is never evicted.
///
/// Documentation: docs/leak-unbounded-global-cache.md
class UnboundedGlobalCacheCheck : public LeakCheck {
public:
  UnboundedGlobalCacheCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_UNBOUNDEDGLOBALCACHECHECK_H
