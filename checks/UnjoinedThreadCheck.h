//===--- UnjoinedThreadCheck.h - leak-tidy ------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_UNJOINEDTHREADCHECK_H
#define LEAK_TIDY_CHECKS_UNJOINEDTHREADCHECK_H

#include "checks/LeakCheck.h"

namespace clang::tidy::leak {

/// Finds a thread that is never joined or detached on some path, or that can never finish.
///
/// Documentation: docs/leak-unjoined-thread.md
class UnjoinedThreadCheck : public LeakCheck {
public:
  UnjoinedThreadCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_UNJOINEDTHREADCHECK_H
