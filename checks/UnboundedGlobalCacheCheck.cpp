//===--- UnboundedGlobalCacheCheck.cpp - leak-tidy ----------------------------------===//
#include "checks/UnboundedGlobalCacheCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::leak {

UnboundedGlobalCacheCheck::UnboundedGlobalCacheCheck(StringRef Name, ClangTidyContext *Context)
    : LeakCheck(Name, Context) {}

void UnboundedGlobalCacheCheck::registerMatchers(MatchFinder *Finder) {
  // Not implemented yet: see the issue for leak-unbounded-global-cache.
}

void UnboundedGlobalCacheCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace clang::tidy::leak
