//===--- VarUsesTest.cpp - leak-tidy unit tests ---------------------------===//
//
// The use-site decoder: each kind of use, decoded once through a function's
// ParentMap and once through the ParentIndex, with the same answer.
//
//===----------------------------------------------------------------------===//
#include "lib/core/VarUses.h"
#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMap.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

const char *Prelude = R"cpp(
namespace std {
template <class T> struct remove_reference { typedef T type; };
template <class T> struct remove_reference<T &> { typedef T type; };
template <class T>
typename remove_reference<T>::type &&move(T &&t) noexcept;
template <class T> struct vector {
  void push_back(const T &);
  T &operator[](unsigned);
  unsigned size() const;
};
}
struct S { S(); S(const S &); S(S &&); void m(); int x; bool operator==(const S &) const; };
struct UniqueFd { explicit UniqueFd(int); ~UniqueFd(); };
void byValue(int);
void byRef(int, int &);
void byConstRef(const int &);
void byPtr(int *);
void byConstPtr(const int *);
void byRvalue(S &&);
void byValueS(S);
void variadic(const char *, ...);
int G;
int *GP;
struct Holder { int F; int *P; std::vector<int> Vs; void set(int v); Holder(int v); };
)cpp";

/// The decoded use of the first reference to `v` in function `f`, through
/// both parent sources; the test fails if they disagree on the kind.
struct DecodedUse {
  Use ViaMap, ViaIndex;
  bool Ok = false;
};

class Decoder {
public:
  explicit Decoder(const std::string &Body) {
    AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Body,
                                            {"-std=c++17"}, "input.cpp");
  }
  /// Decodes reference number \p Nth (source order) to `v` in `f`.
  DecodedUse decode(unsigned Nth = 0, const char *Fn = "f") {
    DecodedUse D;
    if (!AST)
      return D;
    ASTContext &Ctx = AST->getASTContext();
    auto Fns = match(functionDecl(hasName(Fn), isDefinition()).bind("f"), Ctx);
    if (Fns.empty())
      return D;
    const auto *F = Fns[0].getNodeAs<FunctionDecl>("f");
    auto Refs = match(functionDecl(forEachDescendant(
                          declRefExpr(to(varDecl(hasName("v")))).bind("r"))),
                      *F, Ctx);
    std::vector<const DeclRefExpr *> Sorted;
    for (const auto &R : Refs)
      Sorted.push_back(R.getNodeAs<DeclRefExpr>("r"));
    std::sort(Sorted.begin(), Sorted.end(), [](auto *A, auto *B) {
      return A->getBeginLoc() < B->getBeginLoc();
    });
    if (Nth >= Sorted.size())
      return D;
    Map = std::make_unique<ParentMap>(const_cast<Stmt *>(F->getBody()));
    D.ViaMap = decodeUse(Sorted[Nth], UseParents(*Map));
    D.ViaIndex = decodeUse(Sorted[Nth], UseParents(ParentIndex::get(Ctx)));
    D.Ok = true;
    return D;
  }

  ParentMap &map() { return *Map; }
  ASTContext &ctx() { return AST->getASTContext(); }

private:
  std::unique_ptr<ASTUnit> AST;
  std::unique_ptr<ParentMap> Map;
};

/// Decodes and checks that both parent sources agree on everything a
/// family would look at.
Use decodeBoth(const std::string &Body, unsigned Nth = 0,
               const char *Fn = "f") {
  // The Use points into the AST: keep every decoder's AST alive until exit.
  static std::vector<std::unique_ptr<Decoder>> Alive;
  Alive.push_back(std::make_unique<Decoder>(Body));
  Decoder &Dec = *Alive.back();
  DecodedUse D = Dec.decode(Nth, Fn);
  EXPECT_TRUE(D.Ok) << Body;
  const Use &A = D.ViaMap, &B = D.ViaIndex;
  EXPECT_EQ(A.K, B.K) << Body;
  EXPECT_EQ(A.Pass, B.Pass) << Body;
  EXPECT_EQ(A.Target, B.Target) << Body;
  EXPECT_EQ(A.Into, B.Into) << Body;
  EXPECT_EQ(A.Call, B.Call) << Body;
  EXPECT_EQ(A.AddressOf, B.AddressOf) << Body;
  EXPECT_EQ(A.Moved, B.Moved) << Body;
  return A;
}

std::string nameOf(const ValueDecl *D) {
  return D ? D->getNameAsString() : std::string("<null>");
}

TEST(UseDecoder, Arguments) {
  Use U = decodeBoth("void f() { int v = 0; byValue(v); }");
  EXPECT_EQ(U.K, Use::Argument);
  EXPECT_EQ(U.Pass, Use::ByValue);
  EXPECT_EQ(U.name(), "byValue");
  EXPECT_EQ(U.ArgIndex, 0u);

  U = decodeBoth("void f() { int v = 0; byRef(1, v); }");
  EXPECT_EQ(U.K, Use::Argument);
  EXPECT_EQ(U.Pass, Use::ByRef);
  EXPECT_EQ(U.ArgIndex, 1u);

  U = decodeBoth("void f() { int v = 0; byConstRef(v); }");
  EXPECT_EQ(U.Pass, Use::ByConstRef);

  U = decodeBoth("void f() { int v = 0; byPtr(&v); }");
  EXPECT_EQ(U.K, Use::Argument);
  EXPECT_EQ(U.Pass, Use::ByPointer);
  EXPECT_TRUE(U.AddressOf);

  U = decodeBoth("void f() { int v = 0; byConstPtr(&v); }");
  EXPECT_EQ(U.Pass, Use::ByConstPointer);

  U = decodeBoth("void f() { S v; byRvalue(std::move(v)); }");
  EXPECT_EQ(U.K, Use::Argument);
  EXPECT_EQ(U.Pass, Use::ByRvalueRef);
  EXPECT_TRUE(U.Moved);

  U = decodeBoth("void f() { S v; byValueS(v); }");
  EXPECT_EQ(U.K, Use::Argument);
  EXPECT_EQ(U.Pass, Use::ByValue);
  EXPECT_TRUE(U.Copied);

  U = decodeBoth("void f() { int v = 0; variadic(\"%d\", v); }");
  EXPECT_EQ(U.Pass, Use::Variadic);

  U = decodeBoth("void f(void (*p)(int)) { int v = 0; p(v); }");
  EXPECT_EQ(U.K, Use::Argument);
  EXPECT_EQ(U.Pass, Use::UnknownCallee);
}

TEST(UseDecoder, MemberCallsAndAccess) {
  Use U = decodeBoth("void f() { S v; v.m(); }");
  EXPECT_EQ(U.K, Use::MemberCall);
  EXPECT_EQ(U.name(), "m");
  ASSERT_NE(U.Call, nullptr);

  U = decodeBoth("void f(S *v) { v->m(); }");
  EXPECT_EQ(U.K, Use::MemberCall);
  EXPECT_EQ(U.name(), "m");

  U = decodeBoth("int f() { S v; return v.x; }");
  EXPECT_EQ(U.K, Use::MemberAccess);
  EXPECT_EQ(nameOf(U.Member), "x");
  // One level further: the member is returned.
  Decoder Dec("int f() { S v; return v.x; }");
  DecodedUse D = Dec.decode();
  ASSERT_TRUE(D.Ok);
  const auto *ME = dyn_cast<MemberExpr>(D.ViaMap.User);
  ASSERT_NE(ME, nullptr);

  U = decodeBoth("void f(std::vector<int> &v) { v.size(); }");
  EXPECT_EQ(U.K, Use::MemberCall);
  EXPECT_EQ(U.name(), "size");

  U = decodeBoth("void f(std::vector<int> &v) { v[0]; }");
  EXPECT_EQ(U.K, Use::MemberCall);
  ASSERT_NE(U.Method, nullptr);
  EXPECT_EQ(U.Method->getOverloadedOperator(), OO_Subscript);
}

TEST(UseDecoder, Stores) {
  Use U = decodeBoth("void f() { int v = 0; G = v; }");
  EXPECT_EQ(U.K, Use::Stored);
  EXPECT_EQ(U.Target, Use::ToGlobal);
  EXPECT_EQ(nameOf(U.Into), "G");

  U = decodeBoth("void f(Holder &h) { int v = 0; h.F = v; }");
  EXPECT_EQ(U.K, Use::Stored);
  EXPECT_EQ(U.Target, Use::ToField);
  EXPECT_EQ(nameOf(U.Into), "F");

  U = decodeBoth("void Holder::set(int v) { P = &v; }", 0, "set");
  EXPECT_EQ(U.K, Use::Stored);
  EXPECT_EQ(U.Target, Use::ToField);
  EXPECT_TRUE(U.AddressOf);

  U = decodeBoth("void f(std::vector<int> &c) { int v = 0; c.push_back(v); }");
  EXPECT_EQ(U.K, Use::Stored);
  EXPECT_EQ(U.Target, Use::ToContainer);
  EXPECT_EQ(nameOf(U.Into), "c");
  EXPECT_EQ(U.name(), "push_back");

  U = decodeBoth("void f(std::vector<int> &c) { int v = 0; c[1] = v; }");
  EXPECT_EQ(U.K, Use::Stored);
  EXPECT_EQ(U.Target, Use::ToContainer);
  EXPECT_EQ(nameOf(U.Into), "c");

  U = decodeBoth("void f() { int v = 0; int *q = &v; }");
  EXPECT_EQ(U.K, Use::Stored);
  EXPECT_EQ(U.Target, Use::ToLocal);
  EXPECT_EQ(nameOf(U.Into), "q");
  EXPECT_FALSE(U.Alias);

  U = decodeBoth("void f() { int v = 0; int &r = v; }");
  EXPECT_EQ(U.K, Use::Stored);
  EXPECT_TRUE(U.Alias);

  U = decodeBoth("void f() { S v; S w = std::move(v); }");
  EXPECT_EQ(U.K, Use::Stored);
  EXPECT_TRUE(U.Moved);
  EXPECT_EQ(nameOf(U.Into), "w");

  U = decodeBoth("void f() { int v = 0; static int *s = &v; }");
  EXPECT_EQ(U.Target, Use::ToGlobal);
}

TEST(UseDecoder, ConstructionIntoAnOwner) {
  Use U = decodeBoth("void f() { int v = 0; UniqueFd g(v); }");
  EXPECT_EQ(U.K, Use::Argument);
  ASSERT_NE(U.Construct, nullptr);
  EXPECT_EQ(nameOf(U.Into), "g");
}

TEST(UseDecoder, TestsAndWrites) {
  for (const char *Body : {"void f() { int v = 0; if (v) {} }",
                           "void f() { int v = 0; if (!v) {} }",
                           "void f() { int v = 0; bool b = v == 3; }",
                           "void f() { int v = 0; while (v && G) {} }",
                           "void f() { S v, w; bool b = v == w; }"})
    EXPECT_EQ(decodeBoth(Body).K, Use::Test) << Body;
  Use U = decodeBoth("void f() { int v = 0; v = 3; }");
  EXPECT_EQ(U.K, Use::Overwritten);
  U = decodeBoth("void f(int *v) { *v = 3; }");
  EXPECT_EQ(U.K, Use::Overwritten);
  EXPECT_TRUE(U.Deref);
  U = decodeBoth("void f() { int v = 0; v++; }");
  EXPECT_EQ(U.K, Use::Overwritten);
  U = decodeBoth("int f() { int v = 0; return v + 1; }");
  EXPECT_EQ(U.K, Use::Read);
}

TEST(UseDecoder, ReturnDeleteThrowInvoke) {
  EXPECT_EQ(decodeBoth("int f() { int v = 0; return v; }").K, Use::Returned);
  EXPECT_EQ(decodeBoth("S f() { S v; return std::move(v); }").K, Use::Returned);
  EXPECT_EQ(decodeBoth("void f(int *v) { delete v; }").K, Use::Deleted);
  EXPECT_EQ(decodeBoth("void f() { int v = 0; throw v; }").K, Use::Thrown);
  EXPECT_EQ(decodeBoth("void f(void (*v)()) { v(); }").K, Use::Invoked);
  EXPECT_EQ(decodeBoth("int f(bool c) { int v = 0; return c ? v : 1; }").K,
            Use::Returned);
}

TEST(UseDecoder, Captures) {
  Use U = decodeBoth("void f() { int v = 0; auto l = [v] { return v; }; }", 0);
  // The capture initializer of a by-copy capture.
  EXPECT_EQ(U.K, Use::Captured);
  ASSERT_NE(U.Lambda, nullptr);

  EXPECT_FALSE(U.CaptureByRef);
  U = decodeBoth("void f() { int v = 0; auto l = [&v] { byValue(v); }; }", 0);
  EXPECT_EQ(U.K, Use::Captured);
  EXPECT_TRUE(U.CaptureByRef);

  // A reference inside the body names the enclosing variable; both parent
  // sources reach the lambda from it.
  Decoder Dec("void f() { int v = 0; auto l = [&v] { byValue(v); }; }");
  DecodedUse D = Dec.decode(1);
  ASSERT_TRUE(D.Ok);
  EXPECT_EQ(D.ViaMap.K, Use::Argument);
  EXPECT_EQ(D.ViaIndex.K, Use::Argument);
  const auto *Ref = dyn_cast<DeclRefExpr>(D.ViaMap.Ref);
  ASSERT_NE(Ref, nullptr);
  const LambdaExpr *ViaMap = enclosingCapture(Ref, UseParents(Dec.map()));
  EXPECT_NE(ViaMap, nullptr);
  EXPECT_EQ(enclosingCapture(Ref, UseParents(ParentIndex::get(Dec.ctx()))),
            ViaMap);
  // The capture initializer itself is in f, not in the lambda.
  DecodedUse Init = Dec.decode(0);
  EXPECT_EQ(enclosingCapture(cast<DeclRefExpr>(Init.ViaMap.Ref),
                             UseParents(Dec.map())),
            nullptr);
}

TEST(UseDecoder, ConstructorInitializerViaIndex) {
  // Initializer lists are outside the body: only the ParentIndex sees them.
  Decoder Dec("Holder::Holder(int v) : F(v) {}");
  auto Refs =
      match(declRefExpr(to(varDecl(hasName("v")))).bind("r"), Dec.ctx());
  ASSERT_EQ(Refs.size(), 1u);
  Use U = decodeUse(Refs[0].getNodeAs<DeclRefExpr>("r"),
                    UseParents(ParentIndex::get(Dec.ctx())));
  EXPECT_EQ(U.K, Use::Stored);
  EXPECT_EQ(U.Target, Use::ToField);
  EXPECT_EQ(nameOf(U.Into), "F");
}

TEST(UseDecoder, TableMapsUsesToEffects) {
  enum class Eff { None, Joins, Escapes };
  const UseRule<Eff> Table[] = {
      {Use::MemberCall, Eff::Joins, "m"},
      {Use::Test, Eff::None},
      {Use::Argument, Eff::Joins, "byRef", nullptr, 1},
      {Use::Argument, Eff::None, "", nullptr, -1, /*NeedAddressOf=*/false},
  };
  auto Map = [&](const char *Body, unsigned Nth) {
    return mapUse<Eff>(decodeBoth(Body, Nth), Table, Eff::Escapes);
  };
  EXPECT_EQ(Map("void f() { S v; v.m(); }", 0), Eff::Joins);
  EXPECT_EQ(Map("void f() { int v = 0; if (v) {} }", 0), Eff::None);
  EXPECT_EQ(Map("void f() { int v = 0; byRef(1, v); }", 0), Eff::Joins);
  EXPECT_EQ(Map("void f() { int v = 0; byValue(v); }", 0), Eff::None);
  EXPECT_EQ(Map("void f() { int v = 0; G = v; }", 0), Eff::Escapes);
}

} // namespace
