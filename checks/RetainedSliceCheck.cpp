//===--- RetainedSliceCheck.cpp - leak-tidy ----------------------------------===//
#include "checks/RetainedSliceCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::leak {

RetainedSliceCheck::RetainedSliceCheck(StringRef Name, ClangTidyContext *Context)
    : LeakCheck(Name, Context) {}

void RetainedSliceCheck::registerMatchers(MatchFinder *Finder) {
  // Not implemented yet: see the issue for leak-retained-slice.
}

void RetainedSliceCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace clang::tidy::leak
