//===--- ChannelWithoutReaderCheck.h - leak-tidy ------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_CHANNELWITHOUTREADERCHECK_H
#define LEAK_TIDY_CHECKS_CHANNELWITHOUTREADERCHECK_H

#include "checks/LeakCheck.h"

namespace clang::tidy::leak {

/// Finds values sent into a channel, queue or promise that no one will ever read.
///
/// Documentation: docs/leak-channel-without-reader.md
class ChannelWithoutReaderCheck : public LeakCheck {
public:
  ChannelWithoutReaderCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_CHANNELWITHOUTREADERCHECK_H
