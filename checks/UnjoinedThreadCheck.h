//===--- UnjoinedThreadCheck.h - leak-tidy --------------------------------===//
#ifndef LEAK_TIDY_CHECKS_UNJOINEDTHREADCHECK_H
#define LEAK_TIDY_CHECKS_UNJOINEDTHREADCHECK_H

#include "checks/LeakCheck.h"
#include "lib/thread/ThreadFacts.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::leak {

/// Finds a thread that is never joined or detached on some path, or that can
/// never finish. Matches the six forms, asks lib/thread (ThreadFacts) for
/// the findings, and words them.
///
/// Documentation: docs/leak-unjoined-thread.md
class UnjoinedThreadCheck : public LeakCheck {
public:
  UnjoinedThreadCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  bool
  isLanguageVersionSupported(const LangOptions & /*LangOpts*/) const override {
    return true; // pthread, GLib and libuv threads are C APIs too
  }

private:
  leaklib::ThreadOptions readOptions();
  leaklib::ThreadFindings
  analyze(const ast_matchers::MatchFinder::MatchResult &Result);

  void report(const leaklib::ThreadFinding &F, const LangOptions &LO);
  void reportHandle(const leaklib::ThreadFinding &F, const LangOptions &LO);
  void reportContainer(const leaklib::ThreadFinding &F);
  void reportDetached(const leaklib::ThreadFinding &F);
  void reportMember(const leaklib::ThreadFinding &F, const LangOptions &LO);
  void emitPathNotes(const leaklib::LeakPath &Path, StringRef Name,
                     bool Container);

  leaklib::ThreadFacts Facts;
  llvm::DenseSet<const void *> Done; ///< nodes already analysed in this TU
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_UNJOINEDTHREADCHECK_H
