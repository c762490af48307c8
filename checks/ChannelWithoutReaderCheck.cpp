//===--- ChannelWithoutReaderCheck.cpp - leak-tidy ----------------------------------===//
#include "checks/ChannelWithoutReaderCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::leak {

ChannelWithoutReaderCheck::ChannelWithoutReaderCheck(StringRef Name, ClangTidyContext *Context)
    : LeakCheck(Name, Context) {}

void ChannelWithoutReaderCheck::registerMatchers(MatchFinder *Finder) {
  // Not implemented yet: see the issue for leak-channel-without-reader.
}

void ChannelWithoutReaderCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace clang::tidy::leak
