//===--- RetainedSliceCheck.h - leak-tidy ---------------------------------===//
#ifndef LEAK_TIDY_CHECKS_RETAINEDSLICECHECK_H
#define LEAK_TIDY_CHECKS_RETAINEDSLICECHECK_H

#include "checks/LeakCheck.h"
#include "lib/slice/SliceFacts.h"
#include <memory>

namespace clang::tidy::leak {

/// Finds a small slice or alias of a large buffer kept alive by long-lived
/// storage. The analyses are in lib/slice/SliceFacts.h; this check matches
/// the candidates and words the findings.
///
/// Documentation: docs/leak-retained-slice.md
class RetainedSliceCheck : public LeakCheck {
public:
  RetainedSliceCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  /// Form 2 (interior pointers into malloc blocks) and GLib slices are C.
  bool
  isLanguageVersionSupported(const LangOptions & /*LangOpts*/) const override {
    return true;
  }
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;

private:
  leaklib::SliceOptions readOptions();
  void report(const leaklib::RetainedSlice &R);
  void report(const leaklib::RetainedBlock &R);
  void notePath(const leaklib::RetainedBlock &R, const std::string &Base);
  void report(const leaklib::RetainedCapacity &R);
  void noteProcessLocal(const leaklib::Sink &S);

  std::unique_ptr<leaklib::SliceFacts> Facts;
  ASTContext *Ctx = nullptr; ///< of the translation unit being checked
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_RETAINEDSLICECHECK_H
