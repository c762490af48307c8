//===--- ChannelWithoutReaderCheck.h - leak-tidy --------------------------===//
#ifndef LEAK_TIDY_CHECKS_CHANNELWITHOUTREADERCHECK_H
#define LEAK_TIDY_CHECKS_CHANNELWITHOUTREADERCHECK_H

#include "checks/LeakCheck.h"
#include "lib/channel/ChannelFacts.h"
#include <memory>

namespace clang::tidy::leak {

/// Finds values sent into a channel, queue or promise that no one will ever
/// read.
///
/// The forms: more senders than the function receives from and the channel
/// can hold (fan-out, read fewer); a producer sending without end to a reader
/// that can stop early without closing the channel; a channel or promise that
/// is written but never read anywhere in the translation unit; a member
/// channel whose consumer stops reading on a flag while nothing closes it;
/// the input of a pipeline stage that blocks downstream. The analyses
/// are in lib/channel/ChannelFacts; this check matches the translation unit
/// and words their findings.
///
/// Documentation: docs/leak-channel-without-reader.md
class ChannelWithoutReaderCheck : public LeakCheck {
public:
  ChannelWithoutReaderCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  bool
  isLanguageVersionSupported(const LangOptions & /*LangOpts*/) const override {
    return true; // GLib's GAsyncQueue is used from C too
  }

private:
  void reportMain(const leaklib::ChannelFinding &Fd);
  void reportNote(const leaklib::ChannelFinding &Fd,
                  const leaklib::ChannelNote &N, const SourceManager &SM);
  void reportFix(const leaklib::ChannelFinding &Fd);
  std::unique_ptr<leaklib::ChannelModel> Model;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_CHANNELWITHOUTREADERCHECK_H
