//===--- UnstoppedTickerCheck.cpp - leak-tidy ----------------------------------===//
#include "checks/UnstoppedTickerCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::leak {

UnstoppedTickerCheck::UnstoppedTickerCheck(StringRef Name, ClangTidyContext *Context)
    : LeakCheck(Name, Context) {}

void UnstoppedTickerCheck::registerMatchers(MatchFinder *Finder) {
  // Not implemented yet: see the issue for leak-unstopped-ticker.
}

void UnstoppedTickerCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace clang::tidy::leak
