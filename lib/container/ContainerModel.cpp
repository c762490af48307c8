//===--- ContainerModel.cpp - leak-tidy ----------------------------------===//
#include "lib/container/ContainerModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang {
namespace leaklib {

namespace {

// Container classes per family. Boost's unordered containers live in
// boost::unordered and are re-exported into boost.
const char *const StdTypes =
    "std::map;std::multimap;std::set;std::multiset;std::unordered_map;"
    "std::unordered_multimap;std::unordered_set;std::unordered_multiset;"
    "std::vector;std::deque;std::list;std::forward_list;std::basic_string;"
    "std::queue;std::stack;std::priority_queue;std::flat_map;std::flat_set;"
    "std::flat_multimap;std::flat_multiset";
const char *const BoostTypes =
    "boost::unordered_map;boost::unordered_multimap;boost::unordered_set;"
    "boost::unordered_multiset;boost::unordered::unordered_map;"
    "boost::unordered::unordered_multimap;boost::unordered::unordered_set;"
    "boost::unordered::unordered_multiset;boost::unordered::unordered_flat_map;"
    "boost::unordered::unordered_flat_set;boost::unordered::unordered_node_map;"
    "boost::unordered::unordered_node_set;boost::unordered::concurrent_flat_"
    "map;"
    "boost::unordered::concurrent_flat_set;boost::container::map;"
    "boost::container::multimap;boost::container::set;"
    "boost::container::multiset;boost::container::flat_map;"
    "boost::container::flat_multimap;boost::container::flat_set;"
    "boost::container::flat_multiset;boost::container::vector;"
    "boost::container::deque;boost::container::list;boost::container::slist;"
    "boost::container::stable_vector;boost::container::small_vector;"
    "boost::container::small_vector_base;boost::container::devector;"
    "boost::container::basic_string";
const char *const QtTypes =
    "QHash;QMultiHash;QMap;QMultiMap;QList;QVector;QSet;QLinkedList;"
    "QStringList;QString;QByteArray;QQueue;QStack";
const char *const AbseilTypes =
    "absl::flat_hash_map;absl::flat_hash_set;absl::node_hash_map;"
    "absl::node_hash_set;absl::btree_map;absl::btree_set;"
    "absl::btree_multimap;absl::btree_multiset;absl::InlinedVector";
const char *const TbbTypes =
    "tbb::concurrent_hash_map;tbb::concurrent_unordered_map;"
    "tbb::concurrent_unordered_multimap;tbb::concurrent_unordered_set;"
    "tbb::concurrent_unordered_multiset;tbb::concurrent_map;"
    "tbb::concurrent_set;tbb::concurrent_vector;tbb::concurrent_queue";
const char *const FollyTypes =
    "folly::F14FastMap;folly::F14NodeMap;folly::F14ValueMap;"
    "folly::F14VectorMap;folly::F14FastSet;folly::F14NodeSet;"
    "folly::F14ValueSet;folly::F14VectorSet;folly::ConcurrentHashMap;"
    "folly::ConcurrentHashMapSIMD;folly::fbvector;folly::basic_fbstring;"
    "folly::sorted_vector_map;folly::sorted_vector_set;folly::small_vector";

const char *const DefaultBounded =
    "QCache;QContiguousCache;boost::circular_buffer;"
    "boost::circular_buffer_space_optimized;boost::container::static_vector;"
    "boost::compute::detail::lru_cache;folly::EvictingCacheMap;"
    "tbb::concurrent_lru_cache;tbb::concurrent_bounded_queue";

const char *const DefaultOnce =
    "std::call_once;absl::call_once;boost::call_once;folly::call_once;"
    "pthread_once";

// Operations that grow / shrink every family; the family tables below add
// their own spellings.
const char *const CommonGrow[] = {
    "insert",           "emplace",       "emplace_hint", "try_emplace",
    "insert_or_assign", "push_back",     "emplace_back", "push_front",
    "emplace_front",    "push",          "append",       "insert_range",
    "append_range",     "prepend_range", "push_range",   "operator+="};
const char *const CommonShrink[] = {
    "erase",     "clear",     "extract",  "pop_back",  "pop_front", "pop",
    "swap",      "operator=", "assign",   "resize",    "reset",     "remove",
    "remove_if", "unique",    "erase_if", "shrink_to", "truncate"};
const char *const QtGrow[] = {"prepend",    "insertMulti", "unite",
                              "operator<<", "emplaceBack", "emplaceFront",
                              "enqueue"};
const char *const QtShrink[] = {
    "removeAll", "removeOne", "removeAt", "removeFirst", "removeLast",
    "removeIf",  "take",      "takeAt",   "takeFirst",   "takeLast",
    "chop",      "fill",      "dequeue",  "subtract",    "intersect"};
const char *const TbbGrow[] = {"grow_by", "grow_to_at_least"};
const char *const TbbShrink[] = {"unsafe_erase", "try_pop"};
const char *const FollyShrink[] = {"eraseInto", "erase_if_equal",
                                   "erase_key_if"};

template <size_t N>
bool inList(const char *const (&List)[N], llvm::StringRef Name) {
  for (const char *Item : List)
    if (Name == Item)
      return true;
  return false;
}

std::string lastComponent(llvm::StringRef Q) {
  size_t Pos = Q.rfind("::");
  return (Pos == llvm::StringRef::npos ? Q : Q.substr(Pos + 2)).str();
}

bool isFiniteKeyType(QualType T) {
  T = T.getCanonicalType().getUnqualifiedType();
  if (T->isEnumeralType() || T->isBooleanType())
    return true;
  if (const auto *BT = T->getAs<BuiltinType>())
    return BT->isInteger() && (BT->getKind() == BuiltinType::Char_S ||
                               BT->getKind() == BuiltinType::Char_U ||
                               BT->getKind() == BuiltinType::SChar ||
                               BT->getKind() == BuiltinType::UChar ||
                               BT->getKind() == BuiltinType::Char8);
  return false;
}

/// The type a member typedef \p Name (key_type, mapped_type) of \p RD names,
/// looking through a few levels of bases.
const TypeDecl *findMemberType(const CXXRecordDecl *RD, llvm::StringRef Name,
                               unsigned Depth = 0) {
  if (!RD || Depth > 4)
    return nullptr;
  RD = RD->getDefinition();
  if (!RD)
    return nullptr;
  for (const Decl *D : RD->decls())
    if (const auto *TD = dyn_cast<TypeDecl>(D))
      if (TD->getIdentifier() && TD->getName() == Name)
        return TD;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const TypeDecl *TD =
            findMemberType(B.getType()->getAsCXXRecordDecl(), Name, Depth + 1))
      return TD;
  return nullptr;
}

} // namespace

ContainerModel::ContainerModel() {
  auto AddFamily = [&](const char *Names, ContainerFamily F) {
    for (const std::string &N : splitList(Names)) {
      TypeFamily[N] = F;
      LastComponents.insert(lastComponent(N));
    }
  };
  AddFamily(StdTypes, ContainerFamily::Std);
  AddFamily(BoostTypes, ContainerFamily::Boost);
  AddFamily(QtTypes, ContainerFamily::Qt);
  AddFamily(AbseilTypes, ContainerFamily::Abseil);
  AddFamily(TbbTypes, ContainerFamily::Tbb);
  AddFamily(FollyTypes, ContainerFamily::Folly);
  setBoundedTypes(splitList(DefaultBounded));
  ShrinkingFree.add(splitList(
      "std::erase;std::erase_if;std::swap;std::exchange;std::ranges::swap;"
      "absl::erase_if;boost::unordered::erase_if;boost::container::erase_if;"
      "folly::erase_if;qSwap"));

  auto Role = [&](const char *Name, ContainerOp Op, unsigned Table, int Key) {
    CFunctionRole R;
    R.Op = Op;
    R.TableArg = Table;
    R.KeyArg = Key;
    CFunctions[Name] = R;
  };
  const ContainerOp G = ContainerOp::Grow, S = ContainerOp::Shrink;
  // GHashTable.
  Role("g_hash_table_insert", G, 0, 1);
  Role("g_hash_table_replace", G, 0, 1);
  Role("g_hash_table_add", G, 0, 1);
  for (const char *N :
       {"g_hash_table_remove", "g_hash_table_remove_all", "g_hash_table_steal",
        "g_hash_table_steal_extended", "g_hash_table_steal_all",
        "g_hash_table_steal_all_keys", "g_hash_table_steal_all_values",
        "g_hash_table_destroy", "g_hash_table_unref",
        "g_hash_table_foreach_remove", "g_hash_table_foreach_steal"})
    Role(N, S, 0, -1);
  CFunctionRole Iter;
  Iter.TableArg = 1;
  Iter.IterInit = true;
  CFunctions["g_hash_table_iter_init"] = Iter;
  CFunctionRole IterS;
  IterS.IterShrink = true;
  CFunctions["g_hash_table_iter_remove"] = IterS;
  CFunctions["g_hash_table_iter_steal"] = IterS;
  // GTree.
  for (const char *N : {"g_tree_insert", "g_tree_replace", "g_tree_insert_node",
                        "g_tree_replace_node"})
    Role(N, G, 0, 1);
  for (const char *N : {"g_tree_remove", "g_tree_steal", "g_tree_destroy",
                        "g_tree_unref", "g_tree_remove_all"})
    Role(N, S, 0, -1);
  // GPtrArray.
  Role("g_ptr_array_add", G, 0, 1);
  Role("g_ptr_array_insert", G, 0, 2);
  Role("g_ptr_array_extend", G, 0, 1);
  Role("g_ptr_array_extend_and_steal", G, 0, 1);
  for (const char *N :
       {"g_ptr_array_remove", "g_ptr_array_remove_index",
        "g_ptr_array_remove_index_fast", "g_ptr_array_remove_fast",
        "g_ptr_array_remove_range", "g_ptr_array_set_size", "g_ptr_array_free",
        "g_ptr_array_unref", "g_ptr_array_steal", "g_ptr_array_steal_index",
        "g_ptr_array_steal_index_fast"})
    Role(N, S, 0, -1);
  // GArray (g_array_append_val is a macro over g_array_append_vals).
  Role("g_array_append_vals", G, 0, 1);
  Role("g_array_prepend_vals", G, 0, 1);
  Role("g_array_insert_vals", G, 0, 2);
  for (const char *N : {"g_array_remove_index", "g_array_remove_index_fast",
                        "g_array_remove_range", "g_array_set_size",
                        "g_array_free", "g_array_unref", "g_array_steal"})
    Role(N, S, 0, -1);
}

std::string ContainerModel::defaultBoundedTypes() { return DefaultBounded; }
std::string ContainerModel::defaultOnceFunctions() { return DefaultOnce; }

void ContainerModel::addContainerTypes(const std::vector<std::string> &Names) {
  for (const std::string &N : Names) {
    llvm::StringRef S = N;
    S.consume_front("::");
    TypeFamily[S] = ContainerFamily::User;
    LastComponents.insert(lastComponent(S));
  }
}

void ContainerModel::addGrowMethods(const std::vector<std::string> &Names) {
  for (const std::string &N : Names)
    ExtraGrow.insert(N);
}

void ContainerModel::addShrinkMethods(const std::vector<std::string> &Names) {
  for (const std::string &N : Names)
    ExtraShrink.insert(N);
}

void ContainerModel::addCApiFunctions(const std::vector<std::string> &Grow,
                                      const std::vector<std::string> &Shrink) {
  for (const std::string &N : Grow) {
    CFunctionRole R;
    R.Op = ContainerOp::Grow;
    R.KeyArg = 1;
    R.UserApi = true;
    CFunctions[N] = R;
    UserCApi.push_back(N);
  }
  for (const std::string &N : Shrink) {
    CFunctionRole R;
    R.Op = ContainerOp::Shrink;
    R.UserApi = true;
    CFunctions[N] = R;
    UserCApi.push_back(N);
  }
}

/// The struct at the end of a chain of pointers (`struct list **` gives
/// `struct list`), or null.
static const RecordDecl *pointedRecord(QualType T) {
  for (unsigned I = 0; I < 3 && !T.isNull() && T->isPointerType(); ++I) {
    T = T->getPointeeType();
    if (const RecordDecl *RD = T->getAsRecordDecl())
      return RD->getDefinition() ? RD->getDefinition() : RD;
  }
  return nullptr;
}

llvm::SmallPtrSet<const RecordDecl *, 4>
ContainerModel::cApiRecords(ASTContext &Ctx) const {
  llvm::SmallPtrSet<const RecordDecl *, 4> Out;
  TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
  for (const std::string &N : UserCApi)
    for (const NamedDecl *D : TU->lookup(DeclarationName(&Ctx.Idents.get(N))))
      if (const auto *FD = dyn_cast<FunctionDecl>(D); FD && FD->getNumParams())
        if (const RecordDecl *RD =
                pointedRecord(FD->getParamDecl(0)->getType()))
          Out.insert(RD);
  return Out;
}

ContainerKind ContainerModel::cApiKind(const RecordDecl *RD,
                                       std::string TypeName) {
  ContainerKind K;
  K.Family = ContainerFamily::User;
  K.CTable = true;
  K.Noun = RD->getName().str();
  K.TypeName = std::move(TypeName);
  return K;
}

void ContainerModel::setBoundedTypes(const std::vector<std::string> &Names) {
  Bounded = NameMatcher(Names);
}

bool ContainerModel::isBoundedType(const RecordDecl *RD) const {
  if (!RD)
    return false;
  if (Bounded.matches(RD))
    return true;
  if (const auto *CXX = dyn_cast<CXXRecordDecl>(RD)) {
    if (const CXXRecordDecl *Def = CXX->getDefinition())
      for (const CXXBaseSpecifier &B : Def->bases())
        if (const auto *Base = B.getType()->getAsCXXRecordDecl())
          if (Base != RD && Bounded.matches(Base))
            return true;
  }
  return false;
}

std::optional<ContainerKind>
ContainerModel::classifyRecord(const RecordDecl *RD, unsigned Depth) const {
  if (!RD || Depth > 4 || isBoundedType(RD))
    return std::nullopt;
  const IdentifierInfo *II = RD->getIdentifier();
  if (II && LastComponents.count(II->getName())) {
    std::string Q = qualifiedName(RD);
    auto It = TypeFamily.find(Q);
    std::optional<ContainerFamily> F;
    if (It != TypeFamily.end())
      F = It->second;
    else if (llvm::StringRef(Q).starts_with("tbb::") &&
             TypeFamily.count("tbb::" + II->getName().str()))
      F = ContainerFamily::Tbb; // tbb::detail::d1::concurrent_hash_map
    if (F) {
      ContainerKind K;
      K.Family = *F;
      K.TypeName = Q;
      K.Noun = II->getName().str();
      const auto *CXX = dyn_cast<CXXRecordDecl>(RD);
      const TypeDecl *Key = findMemberType(CXX, "key_type");
      const TypeDecl *Mapped = findMemberType(CXX, "mapped_type");
      K.Associative = Key != nullptr;
      K.SubscriptGrows = Mapped != nullptr;
      if (const auto *TND = dyn_cast_or_null<TypedefNameDecl>(Key))
        K.FiniteKeys = isFiniteKeyType(TND->getUnderlyingType());
      // Qt's associative containers in some versions declare no key_type.
      if (!Key && *F == ContainerFamily::Qt &&
          (K.Noun == "QHash" || K.Noun == "QMap" || K.Noun == "QMultiHash" ||
           K.Noun == "QMultiMap" || K.Noun == "QSet")) {
        K.Associative = true;
        K.SubscriptGrows = K.Noun != "QSet";
        if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
          if (Spec->getTemplateArgs().size() > 0 &&
              Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
            K.FiniteKeys =
                isFiniteKeyType(Spec->getTemplateArgs()[0].getAsType());
      }
      return K;
    }
  }
  // A class derived from a container is that container.
  if (const auto *CXX = dyn_cast<CXXRecordDecl>(RD))
    if (const CXXRecordDecl *Def = CXX->getDefinition())
      for (const CXXBaseSpecifier &B : Def->bases())
        if (const auto *Base = B.getType()->getAsCXXRecordDecl())
          if (std::optional<ContainerKind> K = classifyRecord(Base, Depth + 1))
            return K;
  return std::nullopt;
}

std::optional<ContainerKind>
ContainerModel::classifyObjectType(QualType T) const {
  if (T.isNull() || T->isDependentType())
    return std::nullopt;
  if (T.isConstQualified())
    return std::nullopt;
  const auto *RD = T->getAsRecordDecl();
  if (!RD)
    return std::nullopt;
  return classifyRecord(RD, 0);
}

std::optional<ContainerKind>
ContainerModel::classifyMappedType(QualType T) const {
  if (T.isNull() || T->isDependentType())
    return std::nullopt;
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return std::nullopt;
  QualType Mapped;
  if (const auto *TND =
          dyn_cast_or_null<TypedefNameDecl>(findMemberType(RD, "mapped_type")))
    Mapped = TND->getUnderlyingType();
  else if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
           Spec && Spec->getTemplateArgs().size() >= 2 &&
           Spec->getTemplateArgs()[1].getKind() == TemplateArgument::Type &&
           RD->getName().starts_with("Q"))
    Mapped = Spec->getTemplateArgs()[1].getAsType(); // QHash<K, T>
  if (Mapped.isNull() || Mapped->isDependentType())
    return std::nullopt;
  return classifyObjectType(Mapped.getCanonicalType().getUnqualifiedType());
}

std::optional<ContainerKind>
ContainerModel::classifyPointerType(QualType T) const {
  if (T.isNull() || T->isDependentType() || !T->isPointerType())
    return std::nullopt;
  QualType P = T->getPointeeType();
  if (P.isConstQualified())
    return std::nullopt;
  const RecordDecl *RD = P->getAsRecordDecl();
  if (!RD)
    return std::nullopt;
  if (const IdentifierInfo *II = RD->getIdentifier()) {
    llvm::StringRef N = II->getName();
    const char *Noun = llvm::StringSwitch<const char *>(N)
                           .Case("_GHashTable", "GHashTable")
                           .Case("_GTree", "GTree")
                           .Case("_GPtrArray", "GPtrArray")
                           .Case("_GArray", "GArray")
                           .Default(nullptr);
    if (Noun && RD->getDeclContext()->isTranslationUnit()) {
      ContainerKind K;
      K.Family = ContainerFamily::GLib;
      K.CTable = true;
      K.Associative = N == "_GHashTable" || N == "_GTree";
      K.Noun = Noun;
      K.TypeName = Noun;
      return K;
    }
  }
  return classifyRecord(RD, 0);
}

ContainerOp ContainerModel::methodOp(const ContainerKind &K,
                                     llvm::StringRef Name) const {
  if (ExtraShrink.count(Name))
    return ContainerOp::Shrink;
  if (ExtraGrow.count(Name))
    return ContainerOp::Grow;
  if (Name == "operator[]")
    return K.SubscriptGrows ? ContainerOp::Grow : ContainerOp::Neutral;
  if (inList(CommonShrink, Name))
    return ContainerOp::Shrink;
  if (inList(CommonGrow, Name))
    return ContainerOp::Grow;
  switch (K.Family) {
  case ContainerFamily::Qt:
    if (inList(QtShrink, Name))
      return ContainerOp::Shrink;
    if (inList(QtGrow, Name))
      return ContainerOp::Grow;
    break;
  case ContainerFamily::Tbb:
    if (inList(TbbShrink, Name))
      return ContainerOp::Shrink;
    if (inList(TbbGrow, Name))
      return ContainerOp::Grow;
    break;
  case ContainerFamily::Folly:
    if (inList(FollyShrink, Name))
      return ContainerOp::Shrink;
    break;
  default:
    break;
  }
  return ContainerOp::Neutral;
}

bool ContainerModel::takesPositionFirst(llvm::StringRef Name) {
  // insert(pos, value), emplace(pos, args...), emplace_hint(hint, ...);
  // the caller decides by the argument's type whether it is a position.
  return Name == "insert" || Name == "emplace" || Name == "emplace_hint" ||
         Name == "insert_range";
}

const CFunctionRole *ContainerModel::cFunctionRole(llvm::StringRef Name) const {
  auto It = CFunctions.find(Name);
  return It == CFunctions.end() ? nullptr : &It->second;
}

bool ContainerModel::isShrinkingFreeFunction(const NamedDecl *D) const {
  return ShrinkingFree.matches(D);
}

llvm::StringRef familyName(ContainerFamily F) {
  switch (F) {
  case ContainerFamily::Std:
    return "the standard library";
  case ContainerFamily::Boost:
    return "Boost";
  case ContainerFamily::Qt:
    return "Qt";
  case ContainerFamily::Abseil:
    return "Abseil";
  case ContainerFamily::Tbb:
    return "TBB";
  case ContainerFamily::Folly:
    return "folly";
  case ContainerFamily::GLib:
    return "GLib";
  case ContainerFamily::User:
    return "user";
  }
  return "";
}

} // namespace leaklib
} // namespace clang
