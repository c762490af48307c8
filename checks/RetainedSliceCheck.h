//===--- RetainedSliceCheck.h - leak-tidy
//------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_RETAINEDSLICECHECK_H
#define LEAK_TIDY_CHECKS_RETAINEDSLICECHECK_H

#include "checks/LeakCheck.h"
#include "lib/core/NameMatcher.h"
#include "lib/slice/SliceModel.h"
#include "lib/core/StorageFacts.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include <memory>

namespace clang::tidy::leak {

/// Finds a small slice or alias of a large buffer kept alive by long-lived
/// storage.
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
  enum class SliceKind { Alias, UserSlice, SlicingCall, InteriorPointer };
  void checkSlice(const Expr *Site, const Expr *Owner, SliceKind Kind,
                  ASTContext &Ctx);
  void checkInteriorPointer(const Expr *Site, ASTContext &Ctx);
  void recordContainerUse(const Expr *Ref, const ValueDecl *D, ASTContext &Ctx);
  void reportContainers();
  bool storageAllowed(const leaklib::LongLivedStorage &S) const;
  std::vector<leaklib::Sink>
  longLivedSinks(const Expr *Site, ASTContext &Ctx, bool RawPointer);
  std::string storageName(const leaklib::Sink &S) const;

  leaklib::NameMatcher SliceTypes;
  leaklib::NameMatcher SlicingFunctions;
  leaklib::NameMatcher OwnerTypes;
  leaklib::NameMatcher Wrappers; ///< owner and slice types together
  unsigned LargeBufferBytes;
  leaklib::StorageKinds Kinds;

  // Per translation unit.
  ASTContext *Ctx = nullptr;
  std::unique_ptr<leaklib::StaticInstanceIndex> Index;
  llvm::DenseSet<SourceLocation::UIntTy> ReportedStores;
  struct RecordedUse {
    leaklib::BufferUse Use;
    const FunctionDecl *Function = nullptr;
  };
  struct ContainerInfo {
    leaklib::BufferFamily Family = leaklib::BufferFamily::None;
    std::vector<RecordedUse> Uses;
    bool Opaque = false;
  };
  llvm::MapVector<const ValueDecl *, ContainerInfo> Containers;
  llvm::DenseSet<const CXXRecordDecl *> WholeObjectAssigned;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_RETAINEDSLICECHECK_H
