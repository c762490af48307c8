//===--- UnstoppedTickerCheck.h - leak-tidy -------------------------------===//
#ifndef LEAK_TIDY_CHECKS_UNSTOPPEDTICKERCHECK_H
#define LEAK_TIDY_CHECKS_UNSTOPPEDTICKERCHECK_H

#include "checks/TimerCheck.h"
#include "lib/timer/TickerFacts.h"
#include "lib/timer/TimerModel.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace clang::tidy::leak {

/// Finds a periodic timer, or a periodic worker loop, that nothing can ever
/// stop.
///
/// Documentation: docs/leak-unstopped-ticker.md
class UnstoppedTickerCheck : public TimerCheck {
public:
  UnstoppedTickerCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;

private:
  void reportLoop(const leaklib::TickerLoop &F);
  void reportArm(const leaklib::UnstoppedArm &F);
  void reportOverwrittenSource(const leaklib::UnremovedSource &F, bool Lambda,
                               const std::string &Name);
  void reportSource(const leaklib::UnremovedSource &F);
  void reportLostId(const leaklib::UnremovedSource &F);
  void reportRearm(const leaklib::UnstoppableRearm &F);
  /// Once per location (template instantiations share it).
  bool firstAt(SourceLocation L) {
    return Reported.insert(L.getRawEncoding()).second;
  }
  /// Diagnostics go to the macro expansion site (a `forever` loop, an
  /// evtimer_add), never into a system header.
  SourceLocation exp(SourceLocation L) const {
    return SMgr && L.isValid() ? SMgr->getExpansionLoc(L) : L;
  }

  leaklib::TimerOptions Opts;
  leaklib::TimerModel Model;
  const SourceManager *SMgr = nullptr;
  std::unique_ptr<leaklib::TickerFacts> Facts; // one per translation unit
  llvm::DenseSet<unsigned> Reported;
  llvm::DenseSet<const FunctionDecl *> ThreadEntries;
  std::vector<leaklib::TickerLoop> Pending; // loops of possible thread bodies
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_UNSTOPPEDTICKERCHECK_H
