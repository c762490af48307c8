//===--- ContainerModelTest.cpp - leak-tidy unit tests --------------------===//
//
// The container model (families, grow/shrink tables, bounded types, option
// extensions, GLib's C functions) and the TU-wide use index built on it
// (storage kinds, shrink sites in other functions, start-up filling,
// constant keys through call sites, escapes, extern containers).
//
//===----------------------------------------------------------------------===//
#include "lib/container/ContainerModel.h"
#include "lib/container/ContainerUseIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

// Self-contained look-alikes of the standard containers (no system headers
// in unit tests): what matters to the model is the qualified name and the
// key_type / mapped_type members.
const char *Prelude = R"cpp(
namespace std {
template <class K, class V> struct pair { K first; V second; };
template <class K, class V> class map {
public:
  using key_type = K;
  using mapped_type = V;
  V &operator[](const K &);
  void erase(const K &);
  void clear();
  unsigned long size() const;
  bool insert(const pair<K, V> &);
};
template <class K> class set {
public:
  using key_type = K;
  bool insert(const K &);
  void erase(const K &);
};
template <class T> class vector {
public:
  T &operator[](unsigned long);
  void push_back(const T &);
  void pop_back();
};
template <class C> class basic_string {
public:
  basic_string(const C *);
  basic_string &operator+=(const basic_string &);
};
using string = basic_string<char>;
template <class T> struct shared_ptr { T *operator->() const; };
template <class T> struct unique_ptr { T *operator->() const; };
template <class T> shared_ptr<T> make_shared();
template <class T> unique_ptr<T> make_unique();
template <class F, class... A> int bind(F, A...);
struct once_flag {};
template <class F> void call_once(once_flag &, F f) { f(); }
} // namespace std
enum class Color { Red, Green };
)cpp";

struct Parsed {
  std::unique_ptr<ASTUnit> AST;
  ASTContext &ctx() { return AST->getASTContext(); }
};

Parsed parse(const std::string &Code) {
  Parsed P;
  P.AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Code,
                                            {"-std=c++17"}, "input.cpp");
  return P;
}

/// Names of the unbounded containers found in \p Code, joined by spaces.
std::string unbounded(const std::string &Code, bool External = false,
                      ContainerModel Model = ContainerModel()) {
  Parsed P = parse(Code);
  if (!P.AST)
    return "<parse error>";
  ContainerUseOptions O;
  O.AssumeExternalContainersUnbounded = External;
  O.OnceFunctions =
      NameMatcher(splitList(ContainerModel::defaultOnceFunctions()));
  std::string Out;
  for (const UnboundedContainer &U :
       findUnboundedContainers(P.ctx(), Model, O)) {
    if (!Out.empty())
      Out += " ";
    Out += U.Decl->getNameAsString();
  }
  return Out;
}

QualType typeOfVar(Parsed &P, const std::string &Name) {
  auto M = match(varDecl(hasName(Name)).bind("v"), P.ctx());
  if (M.empty())
    return QualType();
  return M[0].getNodeAs<VarDecl>("v")->getType();
}

TEST(ContainerModel, ClassifiesFamiliesAndKeys) {
  Parsed P = parse(R"cpp(
    std::map<std::string, int> ByName;
    std::map<Color, int> ByColor;
    std::set<int> Ids;
    std::vector<int> Log;
    const std::map<int, int> Fixed = {};
    struct Derived : std::set<long> {};
    Derived D;
    int NotAContainer;
  )cpp");
  ASSERT_TRUE(P.AST);
  ContainerModel M;
  auto ByName = M.classifyObjectType(typeOfVar(P, "ByName"));
  ASSERT_TRUE(ByName.has_value());
  EXPECT_EQ(ByName->TypeName, "std::map");
  EXPECT_TRUE(ByName->Associative);
  EXPECT_TRUE(ByName->SubscriptGrows);
  EXPECT_FALSE(ByName->FiniteKeys);
  auto ByColor = M.classifyObjectType(typeOfVar(P, "ByColor"));
  ASSERT_TRUE(ByColor.has_value());
  EXPECT_TRUE(ByColor->FiniteKeys);
  auto Ids = M.classifyObjectType(typeOfVar(P, "Ids"));
  ASSERT_TRUE(Ids.has_value());
  EXPECT_TRUE(Ids->Associative);
  EXPECT_FALSE(Ids->SubscriptGrows);
  auto Log = M.classifyObjectType(typeOfVar(P, "Log"));
  ASSERT_TRUE(Log.has_value());
  EXPECT_FALSE(Log->Associative);
  EXPECT_FALSE(M.classifyObjectType(typeOfVar(P, "Fixed")).has_value());
  auto D = M.classifyObjectType(typeOfVar(P, "D"));
  ASSERT_TRUE(D.has_value());
  EXPECT_EQ(D->TypeName, "std::set");
  EXPECT_FALSE(M.classifyObjectType(typeOfVar(P, "NotAContainer")).has_value());
}

TEST(ContainerModel, GrowAndShrinkTables) {
  ContainerModel M;
  ContainerKind Map;
  Map.Associative = Map.SubscriptGrows = true;
  ContainerKind Vec;
  EXPECT_EQ(M.methodOp(Map, "operator[]"), ContainerOp::Grow);
  EXPECT_EQ(M.methodOp(Vec, "operator[]"), ContainerOp::Neutral);
  EXPECT_EQ(M.methodOp(Map, "try_emplace"), ContainerOp::Grow);
  EXPECT_EQ(M.methodOp(Vec, "push_back"), ContainerOp::Grow);
  EXPECT_EQ(M.methodOp(Map, "erase"), ContainerOp::Shrink);
  EXPECT_EQ(M.methodOp(Vec, "pop_back"), ContainerOp::Shrink);
  EXPECT_EQ(M.methodOp(Map, "operator="), ContainerOp::Shrink);
  EXPECT_EQ(M.methodOp(Map, "find"), ContainerOp::Neutral);
  // Family tables: Qt's take() shrinks a QHash, not a std::map.
  ContainerKind Qt;
  Qt.Family = ContainerFamily::Qt;
  EXPECT_EQ(M.methodOp(Qt, "take"), ContainerOp::Shrink);
  EXPECT_EQ(M.methodOp(Qt, "operator<<"), ContainerOp::Grow);
  EXPECT_EQ(M.methodOp(Map, "take"), ContainerOp::Neutral);
  ContainerKind Tbb;
  Tbb.Family = ContainerFamily::Tbb;
  EXPECT_EQ(M.methodOp(Tbb, "unsafe_erase"), ContainerOp::Shrink);
  // Options extend the tables for every family.
  M.addGrowMethods({"put"});
  M.addShrinkMethods({"purge"});
  EXPECT_EQ(M.methodOp(Vec, "put"), ContainerOp::Grow);
  EXPECT_EQ(M.methodOp(Qt, "purge"), ContainerOp::Shrink);
}

TEST(ContainerModel, GLibFunctions) {
  ContainerModel M;
  const CFunctionRole *Insert = M.cFunctionRole("g_hash_table_insert");
  ASSERT_NE(Insert, nullptr);
  EXPECT_EQ(Insert->Op, ContainerOp::Grow);
  EXPECT_EQ(Insert->TableArg, 0u);
  EXPECT_EQ(Insert->KeyArg, 1);
  ASSERT_NE(M.cFunctionRole("g_hash_table_steal"), nullptr);
  EXPECT_EQ(M.cFunctionRole("g_hash_table_steal")->Op, ContainerOp::Shrink);
  ASSERT_NE(M.cFunctionRole("g_hash_table_iter_init"), nullptr);
  EXPECT_TRUE(M.cFunctionRole("g_hash_table_iter_init")->IterInit);
  EXPECT_EQ(M.cFunctionRole("g_hash_table_lookup"), nullptr);
}

TEST(ContainerModel, UserTypesAndBoundedTypes) {
  Parsed P = parse(R"cpp(
    namespace my {
    template <class K, class V> struct Table { using key_type = K; void put(const K &); };
    template <class K, class V> struct Lru : std::map<K, V> {};
    }
    my::Table<int, int> T;
    my::Lru<int, int> L;
  )cpp");
  ASSERT_TRUE(P.AST);
  ContainerModel M;
  EXPECT_FALSE(M.classifyObjectType(typeOfVar(P, "T")).has_value());
  EXPECT_TRUE(M.classifyObjectType(typeOfVar(P, "L")).has_value());
  M.addContainerTypes({"::my::Table"});
  auto T = M.classifyObjectType(typeOfVar(P, "T"));
  ASSERT_TRUE(T.has_value());
  EXPECT_EQ(T->Family, ContainerFamily::User);
  EXPECT_TRUE(T->Associative);
  M.setBoundedTypes({"my::Lru"});
  EXPECT_FALSE(M.classifyObjectType(typeOfVar(P, "L")).has_value());
}

TEST(ContainerModel, MappedContainers) {
  Parsed P = parse(R"cpp(
    std::map<std::string, std::map<std::string, int>> Nested;
    std::map<std::string, std::vector<int>> Lists;
    std::map<std::string, int> Flat;
    std::vector<std::vector<int>> Rows;
  )cpp");
  ASSERT_TRUE(P.AST);
  ContainerModel M;
  auto Inner = M.classifyMappedType(typeOfVar(P, "Nested"));
  ASSERT_TRUE(Inner.has_value());
  EXPECT_EQ(Inner->TypeName, "std::map");
  auto List = M.classifyMappedType(typeOfVar(P, "Lists"));
  ASSERT_TRUE(List.has_value());
  EXPECT_EQ(List->TypeName, "std::vector");
  EXPECT_FALSE(M.classifyMappedType(typeOfVar(P, "Flat")).has_value());
  EXPECT_FALSE(M.classifyMappedType(typeOfVar(P, "Rows")).has_value());
}

TEST(ContainerUseIndex, NestedLevels) {
  // The outer map trimmed, the inner maps only grow: the inner level.
  EXPECT_EQ(unbounded(R"cpp(
    std::map<std::string, std::map<std::string, int>> Cache;
    void put(const std::string &T, const std::string &K) { Cache[T][K] = 1; }
    void drop(const std::string &T) { Cache.erase(T); }
  )cpp"),
            "Cache");
  // Both levels trimmed.
  EXPECT_EQ(unbounded(R"cpp(
    std::map<std::string, std::map<std::string, int>> Cache;
    void put(const std::string &T, const std::string &K) { Cache[T][K] = 1; }
    void del(const std::string &T, const std::string &K) { Cache[T].erase(K); }
    void drop(const std::string &T) { Cache.erase(T); }
  )cpp"),
            "");
  // The whole map cleared: the inner maps go with it.
  EXPECT_EQ(unbounded(R"cpp(
    std::map<std::string, std::map<std::string, int>> Cache;
    void put(const std::string &T, const std::string &K) { Cache[T][K] = 1; }
    void reset() { Cache.clear(); }
  )cpp"),
            "");
}

TEST(ContainerUseIndex, GrowsWithParameterNeverShrunk) {
  EXPECT_EQ(unbounded(R"cpp(
    std::map<std::string, int> Cache;
    void put(const std::string &K) { Cache[K] = 1; }
  )cpp"),
            "Cache");
}

TEST(ContainerUseIndex, ShrinkInAnotherFunction) {
  EXPECT_EQ(unbounded(R"cpp(
    std::map<std::string, int> Cache;
    void put(const std::string &K) { Cache[K] = 1; }
    void drop(const std::string &K) { Cache.erase(K); }
  )cpp"),
            "");
}

/// "Name:storage/scope" of each finding, for the storage the check words.
std::string storages(const std::string &Code) {
  Parsed P = parse(Code);
  if (!P.AST)
    return "<parse error>";
  ContainerUseOptions O;
  std::string Out;
  for (const UnboundedContainer &U :
       findUnboundedContainers(P.ctx(), ContainerModel(), O)) {
    if (!Out.empty())
      Out += " ";
    Out += U.Decl->getNameAsString() + ":" +
           std::to_string(static_cast<int>(U.Storage)) + "/" +
           std::to_string(static_cast<int>(U.Scope));
  }
  return Out;
}

TEST(ContainerUseIndex, StorageKinds) {
  const char *Code = R"cpp(
    void local(int K) { static std::set<int> Seen; Seen.insert(K); }
    struct S { static std::vector<int> Log; };
    std::vector<int> S::Log;
    void log(int V) { S::Log.push_back(V); }
    thread_local std::set<int> PerThread;
    void mark(int V) { PerThread.insert(V); }
    void automatic(int K) { std::set<int> Tmp; Tmp.insert(K); }
    std::set<int> Plain;
    void plain(int V) { Plain.insert(V); }
  )cpp";
  EXPECT_EQ(unbounded(Code), "Seen Log PerThread Plain");
  // The storage the check words: kind and, for thread_local, the scope.
  auto Expect = [](StorageKind K, StorageKind S) {
    return std::to_string(static_cast<int>(K)) + "/" +
           std::to_string(static_cast<int>(S));
  };
  EXPECT_EQ(
      storages(Code),
      "Seen:" + Expect(StorageKind::StaticLocal, StorageKind::StaticLocal) +
          " Log:" +
          Expect(StorageKind::StaticMember, StorageKind::StaticMember) +
          " PerThread:" +
          Expect(StorageKind::ThreadLocal, StorageKind::Global) +
          " Plain:" + Expect(StorageKind::Global, StorageKind::Global));
}

TEST(ContainerUseIndex, SingletonMembers) {
  EXPECT_EQ(unbounded(R"cpp(
    class Reg {
    public:
      static Reg &get() { static Reg R; return R; }
      void add(int K) { Items.insert(K); }
    private:
      std::set<int> Items;
    };
    struct Tmp { void add(int K) { Parts.insert(K); } std::set<int> Parts; };
    void f(int K) { Tmp T; T.add(K); }
  )cpp"),
            "Items");
}

TEST(ContainerUseIndex, ConstantAndFiniteKeys) {
  EXPECT_EQ(unbounded(R"cpp(
    std::map<Color, int> ByColor;
    void c(Color C) { ByColor[C] = 1; }
    std::map<std::string, int> Named;
    void n() { Named["requests"] = 1; }
    std::map<int, int> Enumerated;
    void e() { Enumerated[static_cast<int>(Color::Red)] = 1; }
  )cpp"),
            "");
}

TEST(ContainerUseIndex, ParametersBoundToConstantsAtEveryCall) {
  EXPECT_EQ(unbounded(R"cpp(
    std::map<std::string, int> Commands;
    static void add(const char *Name) { Commands[Name] = 1; }
    void setUp() { add("get"); add("put"); }
  )cpp"),
            "");
  EXPECT_EQ(unbounded(R"cpp(
    std::map<std::string, int> Commands;
    static void add(const char *Name) { Commands[Name] = 1; }
    void setUp(const char *UserCommand) { add("get"); add(UserCommand); }
  )cpp"),
            "Commands");
}

TEST(ContainerUseIndex, StartUpFilling) {
  EXPECT_EQ(unbounded(R"cpp(
    int runtime();
    std::map<int, int> A;
    struct Filler { Filler() { A[runtime()] = 1; } } F;
    std::map<int, int> B;
    static bool Done = [] { B[runtime()] = 1; return true; }();
    std::map<int, int> C;
    std::once_flag Flag;
    void g(int K) { std::call_once(Flag, [&] { C[K] = 1; }); }
  )cpp"),
            "");
}

TEST(ContainerUseIndex, SizeBoundAndEscapes) {
  EXPECT_EQ(unbounded(R"cpp(
    std::map<int, int> Capped;
    void put(int K) { if (Capped.size() < 100) Capped[K] = 1; }
    std::map<int, int> Returned;
    std::map<int, int> &get() { return Returned; }
    void put2(int K) { Returned[K] = 1; }
    std::map<int, int> Aliased;
    void put3(int K) { auto &M = Aliased; M[K] = 1; Aliased[K] = 2; }
    std::map<int, int> Moved;
    void consume(std::map<int, int>);
    void put4(int K) { Moved[K] = 1; consume(static_cast<std::map<int, int> &&>(Moved)); }
  )cpp"),
            "");
}

TEST(ContainerUseIndex, SizeTestCapsOnlyTheGrowsItGuards) {
  EXPECT_EQ(unbounded(R"cpp(
    std::map<int, int> Early;
    void put(int K) { if (Early.size() >= 100) return; Early[K] = 1; }
    std::map<int, int> IndexBound;
    int sum() { int S = 0; for (unsigned I = 0; I < IndexBound.size(); ++I) S += I; return S; }
    void put2(int K) { IndexBound[K] = 1; }
    std::map<int, int> WrongSide;
    void put3(int K) { if (WrongSide.size() > 100) WrongSide[K] = 1; }
  )cpp"),
            "IndexBound WrongSide");
}

TEST(ContainerUseIndex, ConstantElementsGrowSequences) {
  EXPECT_EQ(unbounded(R"cpp(
    std::vector<int> Ticks;
    void tick() { Ticks.push_back(1); }
    void serve(int N) { for (int I = 0; I < N; ++I) tick(); }
    std::set<int> Flags;
    void flag() { Flags.insert(1); }
    std::vector<int> Once;
    static void setUp() { Once.push_back(1); }
    int main() { setUp(); }
  )cpp"),
            "Ticks");
}

TEST(ContainerUseIndex, ClassTemplateStaticMembers) {
  EXPECT_EQ(unbounded(R"cpp(
    template <class T> struct R {
      static std::map<int, T> M;
      static void add(int K) { M[K] = T(); }
      static void reset() { M.clear(); }
    };
    template <class T> std::map<int, T> R<T>::M;
    void put(int K) { R<int>::add(K); }
  )cpp"),
            "");
}

TEST(ContainerUseIndex, ExternalContainers) {
  // A declaration outside the main file cannot be made in a unit test
  // without a header; an inline variable is shared with other TUs too.
  const char *Code = R"cpp(
    inline std::map<int, int> Shared;
    void put(int K) { Shared[K] = 1; }
  )cpp";
  EXPECT_EQ(unbounded(Code), "");
  EXPECT_EQ(unbounded(Code, /*External=*/true), "Shared");
}

TEST(ContainerUseIndex, CallChainsStayLinear) {
  // Every function calls the next one from 40 sites: without memoisation
  // the walk over call sites would be exponential.
  std::string Code = "std::map<std::string, int> M;\n"
                     "static void f0(const char *K) { M[K] = 1; }\n";
  for (int I = 1; I < 30; ++I) {
    Code += "static void f" + std::to_string(I) + "(const char *K) {";
    for (int J = 0; J < 40; ++J)
      Code += " f" + std::to_string(I - 1) + "(K);";
    Code += " }\n";
  }
  Code += "void top() { f29(\"constant\"); }\n";
  EXPECT_EQ(unbounded(Code), "");
  Code += "void other(const char *Input) { f29(Input); }\n";
  EXPECT_EQ(unbounded(Code), "M");
}

/// The program model decides what lives as long as the process.
TEST(ContainerUseIndex, ProcessLifetimeFromProgramModel) {
  const char *Server = R"cpp(
    bool next(std::string &);
    class Server {
    public:
      void run() { std::string L = ""; while (next(L)) Hits[L] = 1; }
    private:
      std::map<std::string, int> Hits;
    };
  )cpp";
  // A local of a main() that runs until the process ends.
  EXPECT_EQ(
      unbounded(std::string(Server) + "int main() { Server S; S.run(); }"),
      "Hits");
  // Also used as a short-lived local elsewhere: not a global cache.
  EXPECT_EQ(unbounded(std::string(Server) +
                      "void once() { Server T; T.run(); }\n"
                      "int main() { Server S; S.run(); }"),
            "");
  // A local container of a function that never returns.
  EXPECT_EQ(unbounded(R"cpp(
    int readId();
    [[noreturn]] void loop() { std::set<int> Seen; for (;;) Seen.insert(readId()); }
  )cpp"),
            "Seen");
}

TEST(ContainerUseIndex, HeapObjectsHeldByLongLivedStorage) {
  const char *Reg = R"cpp(
    class Reg {
    public:
      void add(const std::string &K) { Names[K] = 1; }
    private:
      std::map<std::string, int> Names;
    };
  )cpp";
  EXPECT_EQ(unbounded(std::string(Reg) +
                      "std::shared_ptr<Reg> G = std::make_shared<Reg>();\n"
                      "void put(const std::string &K) { G->add(K); }"),
            "Names");
  // Through a member of a leaky singleton.
  EXPECT_EQ(unbounded(std::string(Reg) + R"cpp(
    struct Outer {
      static Outer &get() { static Outer *O = new Outer; return *O; }
      std::unique_ptr<Reg> R = std::make_unique<Reg>();
    };
    void put(const std::string &K) { Outer::get().R->add(K); }
  )cpp"),
            "Names");
  // Held by a short-lived local: not a cache.
  EXPECT_EQ(unbounded(std::string(Reg) +
                      "void put(const std::string &K) {\n"
                      "  std::unique_ptr<Reg> L = std::make_unique<Reg>();\n"
                      "  L->add(K); }"),
            "");
}

TEST(ContainerUseIndex, BoundConstants) {
  // (A main() that ends soon silences the TU: the look-alike containers here
  // are user functions without bodies, which ProgramFacts cannot call
  // bounded; see the lit case leak-unbounded-global-cache-ends-soon.cpp.)
  // std::bind with a constant: finitely many keys; with a run-time one: not.
  EXPECT_EQ(unbounded(R"cpp(
    static std::set<std::string> Schemes;
    static void reg(const std::string &N) { Schemes.insert(N); }
    void setup() { std::bind(&reg, "http"); }
  )cpp"),
            "");
  EXPECT_EQ(unbounded(R"cpp(
    std::string input();
    static std::set<std::string> Schemes;
    static void reg(const std::string &N) { Schemes.insert(N); }
    void setup() { std::bind(&reg, input()); }
  )cpp"),
            "Schemes");
}

} // namespace
