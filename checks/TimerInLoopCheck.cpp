//===--- TimerInLoopCheck.cpp - leak-tidy ----------------------------------===//
#include "checks/TimerInLoopCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::leak {

TimerInLoopCheck::TimerInLoopCheck(StringRef Name, ClangTidyContext *Context)
    : LeakCheck(Name, Context) {}

void TimerInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // Not implemented yet: see the issue for leak-timer-in-loop.
}

void TimerInLoopCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace clang::tidy::leak
