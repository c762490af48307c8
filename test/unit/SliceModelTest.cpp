//===--- SliceModelTest.cpp - leak-tidy unit tests ------------------------===//
//
// The retained-slice model: sizes of buffers, heap allocations, origins of
// owners, interior pointers, lost heap bases, long-lived storage, and what
// a use of a container does to its capacity (incl. `v = {}`).
//
//===----------------------------------------------------------------------===//
#include "lib/slice/SliceModel.h"
#include "lib/core/Storage.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <map>

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

const char *Prelude = R"cpp(
typedef unsigned long size_t;
extern "C" void *malloc(size_t);
extern "C" void *calloc(size_t, size_t);
extern "C" void free(void *);
extern "C" void *memset(void *, int, size_t);
void keep(char *);
namespace std {
template <class T> struct initializer_list {
  const T *b; size_t n;
  const T *begin() const { return b; }
  size_t size() const { return n; }
};
template <class T> struct remove_reference { typedef T type; };
template <class T> struct remove_reference<T &> { typedef T type; };
template <class T> typename remove_reference<T>::type &&move(T &&t) {
  return static_cast<typename remove_reference<T>::type &&>(t);
}
template <class T> struct vector {
  vector();
  explicit vector(size_t n);
  vector(const vector &);
  vector(vector &&);
  vector &operator=(const vector &);
  vector &operator=(vector &&);
  vector &operator=(initializer_list<T>);
  void resize(size_t);
  void reserve(size_t);
  void clear();
  void shrink_to_fit();
  void push_back(const T &);
  size_t size() const;
};
template <class T> struct shared_ptr {
  shared_ptr();
  shared_ptr(const shared_ptr &);
  template <class Y> shared_ptr(const shared_ptr<Y> &, T *);
};
template <class T, class... A> shared_ptr<T> make_shared(A &&...);
} // namespace std
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

/// The initializer of variable \p Var.
const Expr *initOf(Parsed &P, const char *Var) {
  auto R = match(findAll(varDecl(hasName(Var)).bind("v")), P.ctx());
  if (R.empty())
    return nullptr;
  return R[0].getNodeAs<VarDecl>("v")->getInit();
}

TEST(SliceModel, BytesOfConstantsAndUnknowns) {
  Parsed P = parse("constexpr int K = 1 << 10;\n"
                   "void f(size_t n) { int a = K * 4; size_t b = n; }\n");
  ASSERT_TRUE(P.AST);
  BufferSize S = bytesOf(initOf(P, "a"), P.ctx().IntTy, P.ctx());
  EXPECT_TRUE(S.Known);
  EXPECT_EQ(S.Bytes, 16384u);
  EXPECT_FALSE(bytesOf(initOf(P, "b"), QualType(), P.ctx()).Known);
  EXPECT_TRUE(BufferSize::unknown().isLarge(1u << 30));
  EXPECT_FALSE(BufferSize::known(10).isLarge(11));
  EXPECT_EQ(BufferSize::known(64).describe(), "64 bytes");
  EXPECT_EQ(BufferSize::unknown().describe(), "size unknown");
}

TEST(SliceModel, HeapAllocations) {
  Parsed P = parse("void f(size_t n) {\n"
                   " char *a = (char *)malloc(100);\n"
                   " char *b = (char *)calloc(n, 4);\n"
                   " int *c = new int[8];\n"
                   " int *d = new int;\n"
                   " char *e = nullptr; }\n");
  ASSERT_TRUE(P.AST);
  auto A = heapAllocation(initOf(P, "a"), P.ctx());
  ASSERT_TRUE(A);
  EXPECT_EQ(A->Size.Bytes, 100u);
  auto B = heapAllocation(initOf(P, "b"), P.ctx());
  ASSERT_TRUE(B);
  EXPECT_FALSE(B->Size.Known);
  auto C = heapAllocation(initOf(P, "c"), P.ctx());
  ASSERT_TRUE(C);
  EXPECT_EQ(C->Size.Bytes, 32u);
  EXPECT_FALSE(heapAllocation(initOf(P, "d"), P.ctx())); // not a block
  EXPECT_FALSE(heapAllocation(initOf(P, "e"), P.ctx()));
}

TEST(SliceModel, OriginsOfOwners) {
  Parsed P = parse("std::shared_ptr<std::vector<char>> g;\n"
                   "std::shared_ptr<std::vector<char>> read();\n"
                   "void f(std::shared_ptr<std::vector<char>> p) {\n"
                   " auto big = std::make_shared<std::vector<char>>(1 << 20);\n"
                   " auto a = big; auto b = p; auto c = g; auto d = read();\n"
                   " auto e = std::make_shared<std::vector<char>>(16); }\n");
  ASSERT_TRUE(P.AST);
  NameMatcher Owners({"std::shared_ptr"});
  BufferOrigin A = originOf(initOf(P, "a"), P.ctx(), Owners);
  EXPECT_EQ(A.K, BufferOrigin::Created);
  EXPECT_EQ(A.Size.Bytes, 1u << 20);
  EXPECT_EQ(originOf(initOf(P, "b"), P.ctx(), Owners).K,
            BufferOrigin::Parameter);
  EXPECT_EQ(originOf(initOf(P, "c"), P.ctx(), Owners).K,
            BufferOrigin::LongLived);
  EXPECT_EQ(originOf(initOf(P, "d"), P.ctx(), Owners).K,
            BufferOrigin::FunctionResult);
  BufferOrigin E = originOf(initOf(P, "e"), P.ctx(), Owners);
  EXPECT_TRUE(E.Size.Known);
  EXPECT_EQ(E.Size.Bytes, 16u);
}

TEST(SliceModel, InteriorPointers) {
  Parsed P = parse("void f(char *p, size_t k) { char arr[8];\n"
                   " char *a = p + 4; char *b = &p[k]; char *c = p + 0;\n"
                   " char *d = &p[0]; char *e = arr + 2; char *h = 3 + p; }\n");
  ASSERT_TRUE(P.AST);
  EXPECT_TRUE(interiorPointer(initOf(P, "a"), P.ctx()));
  EXPECT_TRUE(interiorPointer(initOf(P, "b"), P.ctx()));
  EXPECT_FALSE(interiorPointer(initOf(P, "c"), P.ctx()));
  EXPECT_FALSE(interiorPointer(initOf(P, "d"), P.ctx()));
  EXPECT_FALSE(interiorPointer(initOf(P, "e"), P.ctx())); // an array
  EXPECT_TRUE(interiorPointer(initOf(P, "h"), P.ctx()));
}

const VarDecl *varNamed(Parsed &P, const char *Name) {
  auto R = match(findAll(varDecl(hasName(Name)).bind("v")), P.ctx());
  return R.empty() ? nullptr : R[0].getNodeAs<VarDecl>("v");
}

TEST(SliceModel, LostHeapBase) {
  Parsed P = parse("const char *g;\n"
                   "void lost(size_t n) { char *a = (char *)malloc(n);\n"
                   "  memset(a, 0, n); if (!a) return; g = a + 1; }\n"
                   "void freed(size_t n) { char *b = (char *)malloc(n);\n"
                   "  g = b + 1; free(b); }\n"
                   "void kept(size_t n) { char *c = (char *)malloc(n);\n"
                   "  keep(c); g = c + 1; }\n"
                   "void later(size_t n) { char *d; d = (char *)malloc(n);\n"
                   "  g = d + 2; }\n");
  ASSERT_TRUE(P.AST);
  EXPECT_TRUE(lostHeapBase(varNamed(P, "a"), P.ctx()));
  EXPECT_FALSE(lostHeapBase(varNamed(P, "b"), P.ctx()));
  EXPECT_FALSE(lostHeapBase(varNamed(P, "c"), P.ctx()));
  EXPECT_TRUE(lostHeapBase(varNamed(P, "d"), P.ctx()));
}

TEST(SliceModel, LongLivedStorage) {
  Parsed P =
      parse("struct S { int *x; int *arr[4]; };\n"
            "S g; thread_local int *t;\n"
            "void f(S &r) { static int *s; int *l;\n"
            "  g.x = 0; g.arr[1] = 0; t = 0; s = 0; l = 0; r.x = 0; }\n");
  ASSERT_TRUE(P.AST);
  auto Assigns = match(binaryOperator(hasOperatorName("=")).bind("a"), P.ctx());
  std::vector<StorageKind> Kinds;
  for (auto &B : Assigns)
    Kinds.push_back(
        longLivedStorage(B.getNodeAs<BinaryOperator>("a")->getLHS(), nullptr)
            .Kind);
  ASSERT_EQ(Kinds.size(), 6u);
  EXPECT_EQ(Kinds[0], StorageKind::Global);
  EXPECT_EQ(Kinds[1], StorageKind::Global);
  EXPECT_EQ(Kinds[2], StorageKind::ThreadLocal);
  EXPECT_EQ(Kinds[3], StorageKind::StaticLocal);
  EXPECT_EQ(Kinds[4], StorageKind::Unknown);
  EXPECT_EQ(Kinds[5], StorageKind::Unknown); // through a reference parameter
}

ContainerEffect effectOfCall(Parsed &P, const char *Method) {
  auto R =
      match(findAll(cxxMemberCallExpr(callee(cxxMethodDecl(hasName(Method))),
                                      on(declRefExpr().bind("ref")))),
            P.ctx());
  if (R.empty())
    return ContainerEffect::Opaque;
  const auto *Ref = R[0].getNodeAs<Expr>("ref");
  return classifyBufferUse(Ref, bufferFamily(Ref->getType()), P.ctx(), 4096,
                           NameMatcher({"std::shared_ptr"}))
      .Effect;
}

TEST(SliceModel, ContainerMethods) {
  Parsed P =
      parse("std::vector<char> g;\n"
            "void f(size_t n) { g.reserve(n); g.resize(3);\n"
            "  g.clear(); g.shrink_to_fit(); g.push_back('x'); g.size(); }\n");
  ASSERT_TRUE(P.AST);
  EXPECT_EQ(effectOfCall(P, "reserve"), ContainerEffect::LargeFill);
  EXPECT_EQ(effectOfCall(P, "resize"), ContainerEffect::Cut);
  EXPECT_EQ(effectOfCall(P, "clear"), ContainerEffect::Cut);
  EXPECT_EQ(effectOfCall(P, "shrink_to_fit"), ContainerEffect::Release);
  EXPECT_EQ(effectOfCall(P, "push_back"), ContainerEffect::Grow);
  EXPECT_EQ(effectOfCall(P, "size"), ContainerEffect::Neutral);
}

std::map<std::string, ContainerEffect> assignmentEffects(Parsed &P) {
  auto R = match(cxxOperatorCallExpr(hasOverloadedOperatorName("="),
                                     hasArgument(0, declRefExpr().bind("ref"))),
                 P.ctx());
  std::map<std::string, ContainerEffect> Out;
  for (auto &M : R) {
    const auto *Ref = M.getNodeAs<DeclRefExpr>("ref");
    Out[Ref->getDecl()->getNameAsString()] =
        classifyBufferUse(Ref, bufferFamily(Ref->getType()), P.ctx(), 4096,
                          NameMatcher({"std::shared_ptr"}))
            .Effect;
  }
  return Out;
}

TEST(SliceModel, InitializerListAssignmentIsNotARelease) {
  Parsed P = parse("std::vector<int> g0, g1, g2, g3;\n"
                   "void f(std::vector<int> big) {\n"
                   "  g0 = {};\n"
                   "  g1 = std::vector<int>();\n"
                   "  g2 = std::move(big);\n"
                   "  g3 = {1, 2}; }\n");
  ASSERT_TRUE(P.AST);
  std::map<std::string, ContainerEffect> E = assignmentEffects(P);
  ASSERT_EQ(E.size(), 4u);
  EXPECT_EQ(E["g0"], ContainerEffect::Cut);       // clears, keeps capacity
  EXPECT_EQ(E["g1"], ContainerEffect::Release);   // a fresh container
  EXPECT_EQ(E["g2"], ContainerEffect::LargeFill); // takes over a buffer
  EXPECT_EQ(E["g3"], ContainerEffect::Grow);
}

/// The program model's lifetimes: locals of a main() that does not end
/// soon and of a function that never returns live as long as the process;
/// locals of an ordinary function, or declared inside a loop, do not.
TEST(SliceModel, ProcessLifetimes) {
  Parsed P = parse("bool serve(); int *g;\n"
                   "void worker() { int *w; for (;;) { int *inLoop; } }\n"
                   "void once() { int *o; }\n"
                   "int main() { int *m; while (serve()) { m = 0; } }\n");
  ASSERT_TRUE(P.AST);
  EXPECT_TRUE(livesAsLongAsProcess(varNamed(P, "g"), P.ctx()));
  EXPECT_TRUE(livesAsLongAsProcess(varNamed(P, "w"), P.ctx()));
  EXPECT_TRUE(livesAsLongAsProcess(varNamed(P, "m"), P.ctx()));
  EXPECT_FALSE(livesAsLongAsProcess(varNamed(P, "inLoop"), P.ctx()));
  EXPECT_FALSE(livesAsLongAsProcess(varNamed(P, "o"), P.ctx()));
  EXPECT_FALSE(processEndsSoon(P.ctx()));
  // With the context, the store into main's local is a long-lived store.
  auto A = match(binaryOperator(hasOperatorName("=")).bind("a"), P.ctx());
  ASSERT_EQ(A.size(), 1u);
  const Expr *LHS = A[0].getNodeAs<BinaryOperator>("a")->getLHS();
  EXPECT_EQ(longLivedStorage(LHS, &P.ctx()).Kind, StorageKind::Automatic);
  EXPECT_FALSE(longLivedStorage(LHS, nullptr));

  Parsed Short = parse("int *g;\n"
                       "int main() { int *m; for (int i = 0; i < 3; ++i) "
                       "{ g = m; } return 0; }\n");
  ASSERT_TRUE(Short.AST);
  EXPECT_TRUE(processEndsSoon(Short.ctx()));
  EXPECT_FALSE(livesAsLongAsProcess(varNamed(Short, "m"), Short.ctx()));
  Parsed NoMain = parse("int *g; void f() { g = 0; }\n");
  ASSERT_TRUE(NoMain.AST);
  EXPECT_FALSE(processEndsSoon(NoMain.ctx()));
}

TEST(SliceModel, StorageKindsOption) {
  StorageKinds K;
  std::vector<std::string> Bad = K.parse({"Globals", "Heap"});
  ASSERT_EQ(Bad.size(), 1u);
  EXPECT_EQ(Bad[0], "Heap");
  EXPECT_TRUE(K.allows(StorageKind::Global));
  EXPECT_FALSE(K.allows(StorageKind::StaticLocal));
  EXPECT_FALSE(K.DataMembers);
  EXPECT_FALSE(K.allows(StorageKind::Automatic));
  EXPECT_TRUE(K.parse({"ProcessLocals"}).empty());
  EXPECT_TRUE(K.allows(StorageKind::Automatic));
  EXPECT_FALSE(K.allows(StorageKind::Global));
}

} // namespace

namespace {

TEST(SliceModel, SinksThroughWrappersAndLocals) {
  Parsed P =
      parse("std::shared_ptr<const char> g;\n"
            "std::vector<std::shared_ptr<const char>> gv;\n"
            "void f(std::shared_ptr<std::vector<char>> b, char *p) {\n"
            "  g = std::shared_ptr<const char>(b, (const char *)0);\n"
            "  std::shared_ptr<const char> l(b, (const char *)0);\n"
            "  gv.push_back(l);\n"
            "  std::shared_ptr<const char> never(b, (const char *)0); }\n");
  ASSERT_TRUE(P.AST);
  NameMatcher Wrappers({"std::shared_ptr"});
  auto R = match(cxxConstructExpr(argumentCountIs(2)).bind("c"), P.ctx());
  std::vector<Sink> Sinks;
  for (auto &M : R)
    Sinks.push_back(findSink(M.getNodeAs<Expr>("c"), P.ctx(),
                             /*RawPointer=*/false, Wrappers));
  ASSERT_EQ(Sinks.size(), 3u);
  unsigned Direct = 0, Locals = 0;
  const VarDecl *Never = varNamed(P, "never");
  const VarDecl *L = varNamed(P, "l");
  for (const Sink &S : Sinks) {
    if (S.Storage) {
      ++Direct;
      EXPECT_EQ(S.Storage.Kind, StorageKind::Global);
      EXPECT_FALSE(S.Storage.InContainer);
    }
    if (S.Local)
      ++Locals;
  }
  EXPECT_EQ(Direct, 1u);
  EXPECT_EQ(Locals, 2u);
  std::vector<Sink> FromL = longLivedSinksOfLocal(L, P.ctx(), false, Wrappers);
  ASSERT_EQ(FromL.size(), 1u);
  EXPECT_TRUE(FromL[0].Storage.InContainer);
  EXPECT_TRUE(longLivedSinksOfLocal(Never, P.ctx(), false, Wrappers).empty());
}

TEST(SliceModel, RawPointersAreNotCarriedByConstructors) {
  Parsed P = parse("struct Str { Str(const char *); };\n"
                   "Str gs(\"\"); const char *gp;\n"
                   "void f(char *p) { gs = Str(p + 1); gp = p + 1; }\n");
  ASSERT_TRUE(P.AST);
  auto R = match(binaryOperator(hasOperatorName("+")).bind("e"), P.ctx());
  ASSERT_EQ(R.size(), 2u);
  unsigned Stored = 0;
  for (auto &M : R)
    if (findSink(M.getNodeAs<Expr>("e"), P.ctx(),
                 /*RawPointer=*/true, NameMatcher())
            .Storage)
      ++Stored;
  EXPECT_EQ(Stored, 1u); // gp only: Str(p + 1) copies what p points to
}

} // namespace
