//===--- SliceFacts.h - leak-tidy -----------------------------------------===//
//
// The analyses of leak-retained-slice, one per form, each answering with a
// finding struct that the check words:
//   form 1  a slice or alias of a large buffer (shared_ptr's aliasing
//           constructor, a user slice type holding an owner, a slicing call
//           such as g_bytes_new_from_bytes) stored in long-lived storage;
//   form 2  a pointer into the middle of a heap block stored there while the
//           block's base pointer is lost;
//   form 3  a long-lived container cut down (resize, erase, clear) after it
//           took a large buffer, keeping the capacity.
// Form 3 is TU-wide: uses are recorded as they are matched and judged at the
// end of the translation unit.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_SLICE_SLICEFACTS_H
#define LEAK_TIDY_LIB_SLICE_SLICEFACTS_H

#include "lib/slice/SliceModel.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include <optional>
#include <vector>

namespace clang {
class CXXConstructExpr;
class CXXRecordDecl;
namespace leaklib {

/// The options of leak-retained-slice.
struct SliceOptions {
  static constexpr const char *DefaultSliceTypes = "";
  static constexpr const char *DefaultSlicingFunctions =
      "g_bytes_new_from_bytes";
  static constexpr const char *DefaultOwnerTypes =
      "std::shared_ptr;boost::shared_ptr";
  static constexpr unsigned DefaultLargeBufferBytes = 4096;

  NameMatcher SliceTypes;       ///< user slice types holding an owner
  NameMatcher SlicingFunctions; ///< calls returning a slice of argument 0
  NameMatcher OwnerTypes;       ///< shared owners of a buffer
  unsigned LargeBufferBytes = DefaultLargeBufferBytes;
  StorageKinds Kinds; ///< which long-lived storage counts

  static SliceOptions defaults();
};

enum class SliceForm { Alias, UserSlice, SlicingCall };

/// Form 1: a slice that keeps a large buffer alive.
struct RetainedSlice {
  SliceForm Form = SliceForm::Alias;
  const Expr *Site = nullptr;  ///< where the slice is made
  const Expr *Owner = nullptr; ///< the owner it shares
  BufferOrigin Origin;         ///< where the owner's buffer comes from
  BufferSize Size;             ///< of the buffer kept alive
  /// The long-lived stores, each location reported once per translation
  /// unit (Sink::Local is set when the slice goes through a local first).
  std::vector<Sink> Sinks;
};

/// Form 2: an interior pointer that keeps a heap block alive.
struct RetainedBlock {
  const Expr *Site = nullptr;
  HeapAllocation Block;
  const VarDecl *BaseVar = nullptr; ///< the lost base pointer, if named
  /// The base is a pointer field of a call's result (`R.body`, R initialised
  /// by the call Block.Alloc), lost with R.
  const MemberExpr *BaseField = nullptr;
  /// When the base is freed or kept on some paths only: a path from the
  /// slice's store to the function's end on which it is neither.
  std::optional<LeakPath> Path;
  std::vector<Sink> Sinks;
};

/// Form 3: a container cut down that keeps a large capacity.
struct RetainedCapacity {
  const ValueDecl *Container = nullptr; ///< the variable or field
  BufferFamily Family = BufferFamily::None;
  const Expr *Cut = nullptr;  ///< the cut (resize, erase, clear, ...)
  const Expr *Fill = nullptr; ///< where it took the large buffer
  BufferSize Size;            ///< of that buffer
  /// A shrink_to_fit()/squeeze() that runs before the cut in the same
  /// function: it frees nothing the cut drops.
  const Expr *EarlyShrink = nullptr;
  /// Set when the cut empties the container in the function that filled it,
  /// and that function runs once (FunctionSummaries::runsOnce): nothing
  /// refills it, so the capacity of the one-off burst stays for good.
  const FunctionDecl *RunsOnce = nullptr;
};

class SliceFacts {
public:
  explicit SliceFacts(SliceOptions Opts);
  const SliceOptions &options() const { return Opts; }
  /// Forgets what the previous translation unit recorded.
  void startTranslationUnit();

  /// Form 1, for shared_ptr(const shared_ptr<Y> &owner, T *p).
  std::optional<RetainedSlice> aliasSlice(const CXXConstructExpr *CE,
                                          ASTContext &Ctx);
  /// Form 1, for a construction of a user slice type (\p E is a
  /// CXXConstructExpr or InitListExpr) with an owner among its parts.
  std::optional<RetainedSlice> userSlice(const Expr *E, ASTContext &Ctx);
  /// Form 1, for a call of a slicing function on argument 0.
  std::optional<RetainedSlice> slicingCall(const CallExpr *Call,
                                           ASTContext &Ctx);
  /// Form 2, for `base + off`, `&base[off]`, ...
  std::optional<RetainedBlock> retainedBlock(const Expr *Site, ASTContext &Ctx);

  /// Form 3: a use \p Ref (DeclRefExpr or MemberExpr) of a container.
  void recordContainerUse(const Expr *Ref, ASTContext &Ctx);
  /// Form 3: an assignment of a whole object of class \p RD replaces its
  /// container members.
  void noteWholeObjectAssigned(const CXXRecordDecl *RD);
  /// Form 3, at the end of the translation unit: one finding per container.
  std::vector<RetainedCapacity> retainedCapacity(ASTContext &Ctx);

private:
  std::optional<RetainedSlice> slice(const Expr *Site, const Expr *Owner,
                                     SliceForm Form, ASTContext &Ctx);
  std::vector<Sink> longLivedSinks(const Expr *Site, ASTContext &Ctx,
                                   bool RawPointer);
  bool firstReport(const Sink &S);
  /// processEndsSoon, asked once per translation unit.
  bool shortProcess(ASTContext &Ctx);

  struct RecordedUse {
    BufferUse Use;
    const FunctionDecl *Function = nullptr;
  };
  struct ContainerInfo {
    BufferFamily Family = BufferFamily::None;
    std::vector<RecordedUse> Uses;
    bool Opaque = false;
  };
  bool tracked(const ValueDecl *D, ASTContext &Ctx, bool &OnlyPartialCuts);
  std::optional<RecordedUse> initialFill(const VarDecl *V, ASTContext &Ctx);
  std::optional<RetainedCapacity>
  judge(const ValueDecl *D, const ContainerInfo &Info, ASTContext &Ctx);
  const RecordedUse *retainingCut(const std::vector<RecordedUse> &Uses,
                                  bool OnlyPartialCuts, ASTContext &Ctx,
                                  const RecordedUse *&Shown, bool &OneOff);
  bool isReuse(const RecordedUse &Cut, const std::vector<RecordedUse> &Uses,
               ASTContext &Ctx, const RecordedUse *&Shown, bool &OneOff);
  const RecordedUse *oneOffBurst(const RecordedUse &Cut,
                                 const std::vector<RecordedUse> &Uses,
                                 ASTContext &Ctx);

  SliceOptions Opts;
  NameMatcher Wrappers; ///< owner and slice types together
  llvm::DenseSet<SourceLocation::UIntTy> ReportedStores;
  llvm::MapVector<const ValueDecl *, ContainerInfo> Containers;
  llvm::DenseSet<const CXXRecordDecl *> WholeObjectAssigned;
  std::optional<bool> EndsSoon;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_SLICE_SLICEFACTS_H
