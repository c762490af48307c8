//===--- SliceModel.h - leak-tidy ----------------------------------------===//
//
// The model behind leak-retained-slice: where a value is stored (long-lived
// storage or not), how large the buffer behind an owner or a heap pointer is,
// and what one use of a container does to its capacity (grow, fill with a
// large buffer, cut down, release). Pure AST facts: no clang-tidy headers.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_SLICE_SLICEMODEL_H
#define LEAK_TIDY_LIB_SLICE_SLICEMODEL_H

#include "lib/core/LifetimeEngine.h"
#include "lib/core/NameMatcher.h"
#include "lib/core/Storage.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceLocation.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FunctionDecl;
class NamedDecl;
class Stmt;
class ValueDecl;
class VarDecl;
namespace leaklib {

//===-- Long-lived storage (SliceStorage.cpp) ----------------------------===//

/// Which kinds of storage the check considers (option StorageKinds).
struct StorageKinds {
  bool Globals = true;
  bool StaticLocals = true;
  bool ThreadLocals = true;
  bool StaticObjectMembers = true;
  bool DataMembers = true; ///< form 3 only: fields of ordinary objects
  /// Forms 1 and 2: locals that live as long as the process (of a main()
  /// that does not end soon, of a function that never returns).
  bool ProcessLocals = true;

  /// Global and StaticMember: Globals; StaticLocal; ThreadLocal; Member (of
  /// an object that lives for the program): StaticObjectMembers; Automatic
  /// (a local that lives as long as the process): ProcessLocals.
  bool allows(StorageKind K) const;
  /// Sets the flags from the names ("Globals;StaticLocals;..."); returns the
  /// names that are not kinds.
  std::vector<std::string> parse(const std::vector<std::string> &Names);
  static const char *defaultNames();
};

//===-- What the program model says (SliceStorage.cpp) -------------------===//

/// Whether \p V lives as long as the process, as the program model
/// (ProgramFacts::livesForProcess) answers: static storage, or a local of a
/// main() that does not plainly end soon or of a function that never
/// returns, declared outside any loop.
bool livesAsLongAsProcess(const VarDecl *V, const ASTContext &Ctx);

/// Whether this translation unit has a main() that plainly ends soon
/// (ProgramFacts::endsSoon: a fixed number of iterations, no event loop):
/// then nothing it stores outlives the process by much, and no store is a
/// leak.
bool processEndsSoon(const ASTContext &Ctx);

struct LongLivedStorage {
  /// Global, StaticMember, StaticLocal, ThreadLocal, or Member for a member
  /// of `this` in a class with a static instance; Automatic for a local that
  /// lives as long as the process; Unknown: not long-lived.
  StorageKind Kind = StorageKind::Unknown;
  /// The variable (or field of `this`) at the root of the storage.
  const ValueDecl *Root = nullptr;
  /// True when the value goes into an element of a container held there
  /// (g_map[k] = v, g_vec.push_back(v)).
  bool InContainer = false;
  explicit operator bool() const { return Kind != StorageKind::Unknown; }
};

/// The long-lived storage that the lvalue \p E designates: a program-lifetime
/// variable (with \p Ctx, also a local that lives as long as the process)
/// or any member of one (`.`, `[]`, and container accessors such as
/// operator[], at, front, back), or a member of `this` in a class that has a
/// static instance (asked of \p Ctx; null leaves such members out).
LongLivedStorage longLivedStorage(const Expr *E, ASTContext *Ctx);

/// The container whose element \p E designates (`c[k]`, `c.at(k)`,
/// `c.front()`, `c.back()`), or null.
const Expr *containerOfElement(const Expr *E);

/// Where a value flows to: walking up from the value through casts, copies,
/// wrappers (pairs, tuples, lambdas capturing it, std::function, aggregates,
/// and the owner/slice types in \p Wrappers) to the statement that stores it.
struct Sink {
  LongLivedStorage Storage;          ///< set when stored in long-lived storage
  const Stmt *Store = nullptr;       ///< the assignment or container call
  const VarDecl *StoreVar = nullptr; ///< or the program-lifetime variable
  const VarDecl *Local = nullptr; ///< or a local variable initialised with it
  SourceLocation loc() const;
};
/// \p RawPointer: the value is a plain pointer, so only casts, aggregates
/// and container stores carry it (a constructor call copies what it points
/// to, e.g. std::string(p)).
Sink findSink(const Expr *E, ASTContext &Ctx, bool RawPointer,
              const NameMatcher &Wrappers);
/// The long-lived sinks of the local variable \p V: stores of V (copied or
/// moved, or captured by a lambda) into long-lived storage in its function.
std::vector<Sink> longLivedSinksOfLocal(const VarDecl *V, ASTContext &Ctx,
                                        bool RawPointer,
                                        const NameMatcher &Wrappers);

/// Whether the container call \p Call (a member call such as push_back or a
/// GLib container function such as g_hash_table_insert) stores its argument
/// number \p Arg into the container; returns the container expression.
const Expr *containerStoringArgument(const CallExpr *Call, unsigned Arg);

//===-- Buffer sizes and origins (SliceBuffers.cpp) ----------------------===//

/// A size in bytes, or unknown (a parameter, a read from input, anything
/// not a constant). Unknown counts as large.
struct BufferSize {
  bool Known = false;
  uint64_t Bytes = 0;
  static BufferSize unknown() { return {}; }
  static BufferSize known(uint64_t B) { return {true, B}; }
  bool isLarge(uint64_t Threshold) const {
    return !Known || Bytes >= Threshold;
  }
  /// "65536 bytes" or "size unknown".
  std::string describe() const;
};

/// \p Count elements of \p Elem, evaluated as a constant (unknown otherwise).
BufferSize bytesOf(const Expr *Count, QualType Elem, const ASTContext &Ctx);
/// The constant value of \p E, if Clang's evaluator finds one.
std::optional<uint64_t> constantValue(const Expr *E, const ASTContext &Ctx);

/// A heap allocation: malloc/calloc/realloc/aligned_alloc or new[] (or new).
struct HeapAllocation {
  const Expr *Alloc = nullptr;
  BufferSize Size;
};
std::optional<HeapAllocation> heapAllocation(const Expr *E,
                                             const ASTContext &Ctx);

/// Where the buffer behind an owner (a shared_ptr, a GBytes*, a container)
/// comes from.
struct BufferOrigin {
  enum Kind {
    Unknown,        ///< cannot tell (counts as large, unknown size)
    Parameter,      ///< a parameter of the enclosing function
    Created,        ///< allocated here (make_shared, new[], g_bytes_new, ...)
    FunctionResult, ///< returned by a call (a read from input)
    LongLived,      ///< itself static/global: nothing extra is retained
  };
  Kind K = Unknown;
  const Expr *Where = nullptr;    ///< creating expression / call
  const NamedDecl *Var = nullptr; ///< parameter or variable, if any
  BufferSize Size;
  /// Through a helper defined in another file that hands back its argument
  /// (project facts): the helper, and its definition there (Via invalid when
  /// that file cannot be read: ViaWhere names `file:line`).
  const NamedDecl *ViaHelper = nullptr;
  SourceLocation Via;
  std::string ViaWhere;
};

/// Follows \p Owner through casts, std::move, copies and the initializer of
/// a local variable (a few levels) to the buffer it owns.
BufferOrigin originOf(const Expr *Owner, const ASTContext &Ctx,
                      const NameMatcher &OwnerTypes);

/// Project facts (SliceProject.cpp, kind `function`, "family":"slice"):
/// exports this TU's helpers that hand back a parameter (once per TU; a
/// no-op unless exporting), and reads another TU's answer for a function
/// with no body here -- FunctionSummaries::returnedParam across files.
void exportSliceSummaries(ASTContext &Ctx);
std::optional<unsigned> returnedParamElsewhere(const FunctionDecl *FD,
                                               bool &ThroughMember,
                                               BufferOrigin *Via = nullptr);

/// The fixed size of what an owner of type \p OwnerType (shared_ptr<T>,
/// T*) points to when T is not a buffer -- a plain object or a fixed-size
/// array; none for buffers (char/byte/void element types, T[], containers),
/// whose size comes from where they are created.
std::optional<uint64_t> fixedPointeeSize(QualType OwnerType,
                                         const ASTContext &Ctx);

//===-- Interior pointers (form 2) ---------------------------------------===//

/// `base + off`, `off + base`, `base - off` or `&base[off]` with a pointer
/// \p Base and an offset that is not the constant 0.
struct InteriorPointer {
  const Expr *Base = nullptr;
  const Expr *Offset = nullptr;
};
std::optional<InteriorPointer> interiorPointer(const Expr *E,
                                               const ASTContext &Ctx);

/// For a local pointer variable \p V: its heap allocation (the initialiser
/// or the single assignment), provided V is never freed, stored, returned or
/// handed to a function that may keep it -- its only uses compute interior
/// pointers, read through it, test it, or pass it to non-retaining
/// functions. Otherwise none (the base is not lost, or we cannot tell).
/// With \p Site (the interior pointer stored) and \p Path: a base that is
/// freed or kept on some paths only is lost when a path from Site to the end
/// of the function frees and keeps it nowhere (the lifetime engine's search);
/// *Path gets that path.
std::optional<HeapAllocation>
lostHeapBase(const VarDecl *V, ASTContext &Ctx, const Expr *Site = nullptr,
             std::optional<LeakPath> *Path = nullptr);

/// For a pointer field \p Base (`R.body`) of a local struct initialised from
/// a call (`struct resp R = fetch(fd);`): the block the call hands over
/// through that field (unknown size), provided R.body is never freed,
/// stored, returned or passed on, nor R as a whole -- on every path, or (with
/// \p Site and \p Path) on some path from Site to the function's end.
std::optional<HeapAllocation> lostFieldBlock(const MemberExpr *Base,
                                             ASTContext &Ctx, const Expr *Site,
                                             std::optional<LeakPath> *Path);

/// Whether a call to \p Callee with a pointer argument keeps no reference to
/// that pointer (read, memcpy, strlen, printf, ...).
bool isNonRetainingFunction(const FunctionDecl *Callee);

//===-- Container capacity, form 3 (SliceCapacity.cpp) -------------------===//

enum class BufferFamily {
  None,
  StdVector,
  StdString,
  StdDeque,
  QtByteArray, ///< QByteArray: clear() frees, truncate/resize keep
  QtString,    ///< QString: same
  QtVector,    ///< QVector: clear() keeps the capacity since Qt 5.7
};
BufferFamily bufferFamily(QualType T);
bool isQtFamily(BufferFamily F);

enum class ContainerEffect {
  Neutral,   ///< reads, element access, small changes
  Grow,      ///< adds elements (any size)
  LargeFill, ///< takes a large or unknown-size buffer (also a growth)
  Cut,       ///< shrinks the size, keeps the capacity
  Release,   ///< gives the capacity back (shrink_to_fit, swap, move-from)
  Opaque,    ///< handed out by non-const reference/pointer: anything may happen
};

struct BufferUse {
  ContainerEffect Effect = ContainerEffect::Neutral;
  const Expr *Where = nullptr; ///< the call or assignment
  BufferSize Size;             ///< LargeFill: the size taken
  bool Emptying = false;       ///< Cut: to size zero (clear, = {}, erase all)
  /// Cut: drops a prefix (`erase(begin(), it)`, string `erase(0, n)`): the
  /// way a stream buffer consumes what it parsed.
  bool Prefix = false;
  /// Grow/LargeFill: replaces the content (`v = other`, `assign(...)`)
  /// instead of adding to it.
  bool Replaces = false;
  /// Release: a shrink request (shrink_to_fit, squeeze), which frees only
  /// what lies beyond size() at the point where it runs.
  bool ShrinkRequest = false;
  bool InLoop = false;        ///< the use sits inside a loop
  const Stmt *Loop = nullptr; ///< the innermost enclosing loop, if any
};

/// What the use \p Ref (a DeclRefExpr or MemberExpr naming a container of
/// family \p F) does to the capacity. \p Threshold decides "large".
BufferUse classifyBufferUse(const Expr *Ref, BufferFamily F, ASTContext &Ctx,
                            uint64_t Threshold, const NameMatcher &OwnerTypes);

/// Whether \p Inner is (lexically) inside \p Outer.
bool isWithin(const Stmt *Inner, const Stmt *Outer, ASTContext &Ctx);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_SLICE_SLICEMODEL_H
