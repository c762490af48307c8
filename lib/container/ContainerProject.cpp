//===--- ContainerProject.cpp - leak-tidy ---------------------------------===//
//
// Project facts of findUnboundedContainers (docs/architecture.md, "Project
// facts"): the `container` fact this TU exports for a container other TUs can
// see (does it grow here, with run-time or constant keys; is it shrunk,
// capped or handed on here), and the questions it asks the store -- does
// another TU trim a container this one grows; does another TU call a
// function with a run-time argument.
//
//===----------------------------------------------------------------------===//
#include "lib/container/ContainerUseAnalysis.h"
#include "clang/AST/Decl.h"

namespace clang {
namespace leaklib {
namespace containeruse {

namespace {
/// Notes about other TUs shown at most.
constexpr unsigned MaxProjectNotes = 3;

std::string place(const ProjectFacts::Record &R) {
  return R.File + ":" + std::to_string(R.Line);
}
} // namespace

void Analysis::exportContainer(const Entity &E,
                               const std::vector<ContainerGrowth> &Growths) {
  const char *Grows = "none";
  for (const ContainerGrowth &G : Growths) {
    Grows = "constant";
    if (!G.Constant) {
      Grows = "runtime";
      break;
    }
  }
  const VarDecl *Def = nullptr;
  if (const auto *V = dyn_cast<VarDecl>(E.D))
    Def = V->getDefinition();
  bool Defines =
      Def && SM.isWrittenInMainFile(SM.getExpansionLoc(Def->getLocation()));
  SourceLocation Loc = E.D->getLocation();
  if (Defines)
    Loc = Def->getLocation();
  else if (!Growths.empty())
    Loc = Growths.front().Loc;
  else if (!E.Refs.empty())
    Loc = E.Refs.front().E->getExprLoc();
  Facts.add(E.D, "container",
            llvm::json::Object{{"grows", Grows},
                               {"shrinks", E.Shrunk},
                               {"capped", E.SizeBounded},
                               {"escapes", E.Escaped},
                               {"defines", Defines}},
            Loc);
}

void Analysis::exportUntrackedMember(Entity &E) {
  // Also when every named use is visible here (znc's Csocket.cpp defines
  // every method of CSockCommon, so it judges m_vcMonitorFD alone): the TU
  // that tracks the member does not see them.
  if (!Facts.exporting() || !ProjectFacts::visibleToOtherTUs(E.D))
    return;
  // Uses in the file that declares the member are seen by every TU that
  // tracks it (it includes that file): judged there, not exported again by
  // every TU including it (on znc they were most of the store's member facts).
  FileID Home = SM.getFileID(SM.getExpansionLoc(E.D->getLocation()));
  Entity Elsewhere = E;
  llvm::erase_if(Elsewhere.Refs, [&](const Reference &R) {
    return SM.getFileID(SM.getExpansionLoc(R.E->getExprLoc())) == Home;
  });
  if (Elsewhere.Refs.empty())
    return;
  judge(Elsewhere);
  // Only what silences: a reader takes a missing flag as "may"
  // (value_or(true)), so the true flags are the whole fact.
  llvm::json::Object Payload;
  if (Elsewhere.Shrunk)
    Payload["shrinks"] = true;
  if (Elsewhere.Escaped)
    Payload["escapes"] = true;
  if (Elsewhere.SizeBounded)
    Payload["capped"] = true;
  if (Payload.empty())
    return; // grown or read here only: nothing a tracking TU needs
  Facts.add(E.D, "container", std::move(Payload),
            Elsewhere.Refs.front().E->getExprLoc());
}

bool Analysis::unboundedInProject(const Entity &E,
                                  std::vector<ProjectNote> &Notes) {
  if (!Facts.active() || !ProjectFacts::visibleToOtherTUs(E.D))
    return Opts.AssumeExternalContainersUnbounded;
  std::vector<ProjectFacts::Record> Others = Facts.lookup(E.D, "container");
  if (!Facts.hasStore())
    return Opts.AssumeExternalContainersUnbounded; // unknown: as without
  for (const ProjectFacts::Record &R : Others)
    if (R.Payload.getBoolean("shrinks").value_or(true) ||
        R.Payload.getBoolean("capped").value_or(true) ||
        R.Payload.getBoolean("escapes").value_or(true))
      return false; // another translation unit trims it (or may)
  // Closed world: the store knows every TU; none removes entries (a TU
  // exports a member it trims also where it does not track it:
  // exportUntrackedMember).
  std::string Name = cast<NamedDecl>(E.D)->getNameAsString();
  auto Add = [&](const ProjectFacts::Record &R, std::string Text) {
    SourceLocation L = Facts.locationOf(R);
    if (L.isInvalid())
      Text += " (" + place(R) + ")";
    Notes.push_back({L, std::move(Text)});
  };
  const ProjectFacts::Record *DefRec = nullptr;
  for (const ProjectFacts::Record &R : Others)
    if (R.Payload.getBoolean("defines").value_or(false))
      DefRec = &R;
  std::string None = "no translation unit of the project removes its "
                     "entries or caps it (project facts)";
  if (DefRec)
    Add(*DefRec, "'" + Name +
                     "' is defined in another translation unit "
                     "here; " +
                     None);
  else if (!Others.empty())
    Add(Others.front(), "'" + Name +
                            "' is also used in another translation "
                            "unit here; " +
                            None);
  else if (isa<FieldDecl>(E.D)) // other TUs export a member they trim only
    Notes.push_back({E.D->getLocation(), "no translation unit of the project "
                                         "removes entries of '" +
                                             Name +
                                             "' or caps it (project facts)"});
  else
    Notes.push_back(
        {E.D->getLocation(), "no other translation unit of the project uses '" +
                                 Name + "' (project facts)"});
  for (const ProjectFacts::Record &R : Others)
    if (Notes.size() < MaxProjectNotes &&
        R.Payload.getString("grows") == std::optional<StringRef>("runtime"))
      Add(R, "'" + Name +
                 "' also grows with run-time keys in another "
                 "translation unit here");
  return true;
}

/// \p R (one TU's calls of a function) placed at its first call that passes
/// a run-time value as argument \p Index, when the fact names it.
static ProjectFacts::Record atArgument(const ProjectFacts::Record &R,
                                       unsigned Index) {
  ProjectFacts::Record At{llvm::json::Object(), R.Tu, R.File, R.Line};
  if (const llvm::json::Array *Lines = R.Payload.getArray("lines");
      Lines && Index < Lines->size())
    if (std::optional<int64_t> L = (*Lines)[Index].getAsInteger(); L && *L > 0)
      At.Line = static_cast<unsigned>(*L);
  return At;
}

std::optional<bool> Analysis::otherTUsPassConstants(const FunctionDecl *F,
                                                    const ParmVarDecl *P,
                                                    KeyInfo &K) {
  unsigned Index = P->getFunctionScopeIndex();
  if (!Facts.active() || !ProjectFacts::visibleToOtherTUs(F))
    return std::nullopt;
  std::vector<ProjectFacts::Record> Calls = Facts.lookup(F, "call");
  if (!Facts.hasStore())
    return std::nullopt;
  for (const ProjectFacts::Record &R : Calls) {
    std::optional<bool> Constant;
    if (R.Payload.getBoolean("address").value_or(false))
      Constant = false;
    else if (const llvm::json::Array *Args = R.Payload.getArray("args");
             Args && Index < Args->size())
      Constant = (*Args)[Index].getAsBoolean();
    if (!Constant)
      Constant = R.Payload.getBoolean("const_args");
    if (Constant.value_or(false))
      continue;
    std::string Name = F->getNameAsString();
    std::string Param = P->getNameAsString();
    K.RunTime = true;
    K.Source = "parameter '" + Param + "' of '" + Name +
               "', which another translation unit calls with a run-time "
               "value";
    K.NoteText = R.Payload.getBoolean("address").value_or(false)
                     ? "another translation unit takes the address of '" +
                           Name + "' here (project facts)"
                     : "'" + Name +
                           "' is called with a run-time value here "
                           "(project facts)";
    ProjectFacts::Record At = atArgument(R, Index);
    K.NoteLoc = Facts.locationOf(At);
    if (K.NoteLoc.isInvalid())
      K.NoteText += " (" + place(At) + ")";
    return false;
  }
  return true; // every call elsewhere passes constants (or there is none)
}

} // namespace containeruse
} // namespace leaklib
} // namespace clang
