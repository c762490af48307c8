//===--- UnstoppedTickerCheck.h - leak-tidy
//------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_UNSTOPPEDTICKERCHECK_H
#define LEAK_TIDY_CHECKS_UNSTOPPEDTICKERCHECK_H

#include "checks/LeakCheck.h"
#include "lib/core/NameMatcher.h"
#include "lib/core/StorageFacts.h"
#include "lib/timer/TimerFacts.h"
#include "lib/timer/TimerModel.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace clang::tidy::leak {

/// Finds a periodic timer, or a periodic worker loop, that nothing can ever
/// stop.
///
/// Documentation: docs/leak-unstopped-ticker.md
class UnstoppedTickerCheck : public LeakCheck {
public:
  UnstoppedTickerCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return true; // the C APIs (POSIX, libuv, GLib, libevent) too
  }

private:
  void scanFunction(const FunctionDecl *FD, ASTContext &Ctx);
  void checkArm(const CallExpr *Arm, const leaklib::TimerCall &TC,
                const Stmt *Body, const FunctionDecl *Outer, ASTContext &Ctx);
  void checkGLib(const CallExpr *Add, const FunctionDecl *Outer,
                 ASTContext &Ctx);
  void checkAsio(const CallExpr *Wait, const FunctionDecl *Enclosing);
  void reportLoop(const Stmt *Loop, const CallExpr *Wait);
  leaklib::TimerUseIndex &index(ASTContext &Ctx);
  leaklib::StaticInstanceIndex &statics(ASTContext &Ctx);
  bool mainLike(const FunctionDecl *FD);

  /// Diagnostics go to the macro expansion site (a `forever` loop, an
  /// evtimer_add), never into a system header.
  SourceLocation exp(SourceLocation L) const {
    return SMgr && L.isValid() ? SMgr->getExpansionLoc(L) : L;
  }
  const SourceManager *SMgr = nullptr;
  ASTContext *LastCtx = nullptr;
  bool IgnoreParentedQTimer;
  leaklib::NameMatcher Waits;
  std::vector<std::string> StopMethods;
  leaklib::TimerModel Model;

  std::unique_ptr<leaklib::TimerUseIndex> Index;
  std::unique_ptr<leaklib::StaticInstanceIndex> Statics;
  llvm::DenseSet<const ValueDecl *> ReportedKeys;
  llvm::DenseSet<unsigned> ReportedLocs;
  llvm::DenseSet<const FunctionDecl *> ThreadEntries;
  llvm::DenseMap<const FunctionDecl *, bool> MainLike;
  struct PendingLoop {
    const FunctionDecl *Function;
    const Stmt *Loop;
    const CallExpr *Wait;
  };
  std::vector<PendingLoop> Pending;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_UNSTOPPEDTICKERCHECK_H
