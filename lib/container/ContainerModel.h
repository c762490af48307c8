//===--- ContainerModel.h - leak-tidy ------------------------------------===//
//
// The container API model: which types are containers (per family: the
// standard library, Boost, Qt, Abseil, TBB, folly, GLib's C tables, user
// types named in options), which of their operations grow them and which
// shrink them, and which cache types bound themselves (LRU, TTL). Tables
// are extended by the options of the checks that use them.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CONTAINER_CONTAINERMODEL_H
#define LEAK_TIDY_LIB_CONTAINER_CONTAINERMODEL_H

#include "lib/core/NameMatcher.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class RecordDecl;
class CXXRecordDecl;
namespace leaklib {

enum class ContainerFamily { Std, Boost, Qt, Abseil, Tbb, Folly, GLib, User };

/// What an operation does to the size of a container.
enum class ContainerOp { Neutral, Grow, Shrink };

/// A container type as the model sees it.
struct ContainerKind {
  ContainerFamily Family = ContainerFamily::Std;
  /// Keyed by a key_type (maps and sets): a grow adds one entry per key.
  bool Associative = false;
  /// Has a mapped_type: `c[k]` inserts k when it is missing.
  bool SubscriptGrows = false;
  /// The key (or element) type is an enum, bool or an 8-bit integer: the
  /// container cannot hold more than a few hundred entries.
  bool FiniteKeys = false;
  /// Held through a pointer to an opaque C table (GHashTable *).
  bool CTable = false;
  /// "map", "set", "vector", "string", "hash table", ...
  std::string Noun;
  /// The qualified name of the matched class (or C table type).
  std::string TypeName;
};

/// The role of a C function of a container API (GLib).
struct CFunctionRole {
  ContainerOp Op = ContainerOp::Neutral;
  unsigned TableArg = 0; ///< the argument that is the table
  int KeyArg = -1;       ///< the key / element argument, -1: none
  /// g_hash_table_iter_init: shrinks only together with an iter_remove.
  bool IterInit = false;
  /// g_hash_table_iter_remove / _steal (no table argument).
  bool IterShrink = false;
  /// A function of the project's own C container API (GrowFunctions,
  /// ShrinkFunctions): the container is the first argument.
  bool UserApi = false;
};

class ContainerModel {
public:
  /// The built-in tables (all families).
  ContainerModel();

  /// Extra container class names (std-like interface, family User).
  void addContainerTypes(const std::vector<std::string> &Names);
  /// Extra method names that grow / shrink any modelled container.
  void addGrowMethods(const std::vector<std::string> &Names);
  void addShrinkMethods(const std::vector<std::string> &Names);
  /// The grow and shrink functions of the project's own C container API
  /// (intrusive lists, trees): the first argument is the container (a
  /// pointer to it, or a pointer to its head pointer), the second the
  /// element.
  void addCApiFunctions(const std::vector<std::string> &Grow,
                        const std::vector<std::string> &Shrink);
  /// The structs those functions take first, as declared in \p Ctx: an
  /// object of such a type, or a pointer to one, is a container.
  llvm::SmallPtrSet<const RecordDecl *, 4> cApiRecords(ASTContext &Ctx) const;
  /// The kind of such a struct, named \p TypeName as the user wrote it.
  static ContainerKind cApiKind(const RecordDecl *RD, std::string TypeName);
  /// Replaces the bounded cache types (LRU/TTL caches, fixed-capacity
  /// buffers): never reported, and neither are the containers inside them.
  void setBoundedTypes(const std::vector<std::string> &Names);

  static std::string defaultBoundedTypes();
  static std::string defaultOnceFunctions();

  /// Classifies a (possibly cv-qualified, typedef'd) object type. Derived
  /// classes of a container count as that container. Bounded types and
  /// const objects are not containers here.
  std::optional<ContainerKind> classifyObjectType(QualType T) const;
  /// The container a map of type \p T holds as its mapped value
  /// (`std::map<K, std::map<K2, V>>` gives std::map<K2, V>), or nullopt.
  std::optional<ContainerKind> classifyMappedType(QualType T) const;
  /// Classifies a pointer type: a pointer to a C table (GHashTable *, GTree *,
  /// GPtrArray *, GArray *) or to a C++ container.
  std::optional<ContainerKind> classifyPointerType(QualType T) const;

  /// What calling method \p Name (an identifier or "operator[]", "operator=",
  /// "operator+=", "operator<<") on a container of kind \p K does.
  ContainerOp methodOp(const ContainerKind &K, llvm::StringRef Name) const;
  /// Whether a call to a method \p Name passes an insertion position (a
  /// hint or an index) as its first argument.
  static bool takesPositionFirst(llvm::StringRef Name);

  /// The role of a free C function of a container API, or nullptr.
  const CFunctionRole *cFunctionRole(llvm::StringRef Name) const;
  /// Free C++ functions that shrink the container passed first
  /// (std::erase_if, std::erase, std::swap, ...); qualified names.
  bool isShrinkingFreeFunction(const NamedDecl *D) const;

  bool isBoundedType(const RecordDecl *RD) const;

private:
  std::optional<ContainerKind> classifyRecord(const RecordDecl *RD,
                                              unsigned Depth) const;
  struct Family {
    ContainerFamily F;
    const char *Names;
  };
  llvm::StringMap<ContainerFamily> TypeFamily;
  llvm::StringSet<> LastComponents;
  NameMatcher Bounded;
  NameMatcher ShrinkingFree;
  llvm::StringSet<> ExtraGrow, ExtraShrink;
  llvm::StringMap<CFunctionRole> CFunctions;
  std::vector<std::string> UserCApi;
};

/// The display name of a family ("the standard library", "Qt", ...).
llvm::StringRef familyName(ContainerFamily F);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CONTAINER_CONTAINERMODEL_H
