//===--- UnjoinedThreadCheck.cpp - leak-tidy ----------------------------------===//
#include "checks/UnjoinedThreadCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::leak {

UnjoinedThreadCheck::UnjoinedThreadCheck(StringRef Name, ClangTidyContext *Context)
    : LeakCheck(Name, Context) {}

void UnjoinedThreadCheck::registerMatchers(MatchFinder *Finder) {
  // Not implemented yet: see the issue for leak-unjoined-thread.
}

void UnjoinedThreadCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace clang::tidy::leak
