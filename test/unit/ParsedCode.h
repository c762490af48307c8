//===--- ParsedCode.h - leak-tidy unit tests ------------------------------===//
//
// Small helpers the unit tests of lib/program share: parse a snippet as C++17
// and find a function definition by name.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_TEST_UNIT_PARSEDCODE_H
#define LEAK_TIDY_TEST_UNIT_PARSEDCODE_H

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

namespace leaktest {

inline std::unique_ptr<clang::ASTUnit> parse(llvm::StringRef Code) {
  return clang::tooling::buildASTFromCodeWithArgs(Code, {"-std=c++17"},
                                                  "t.cpp");
}

inline const clang::FunctionDecl *fn(clang::ASTUnit &AST,
                                     llvm::StringRef Name) {
  using namespace clang::ast_matchers;
  auto R = match(functionDecl(hasName(Name), isDefinition()).bind("f"),
                 AST.getASTContext());
  return R.empty() ? nullptr : R.front().getNodeAs<clang::FunctionDecl>("f");
}

} // namespace leaktest

#endif // LEAK_TIDY_TEST_UNIT_PARSEDCODE_H
