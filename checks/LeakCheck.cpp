//===--- LeakCheck.cpp - leak-tidy ---------------------------------------===//
#include "checks/LeakCheck.h"
#include "lib/program/FunctionSummaries.h"
#include "lib/program/ProjectFacts.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"

namespace clang::tidy::leak {

/// Every option of every leak check. A `leak-*` name in the configuration
/// that is not here gets a warning naming the nearest one; an option read
/// through the helpers below that is not here stops the run (registerOption),
/// so adding an option without listing it fails every test.
static constexpr llvm::StringLiteral KnownOptions[] = {
    "leak-channel-without-reader.CapacitySemantics",
    "leak-channel-without-reader.ChannelMethodRoles",
    "leak-channel-without-reader.ChannelTypes",
    "leak-channel-without-reader.CloseFunctions",
    "leak-channel-without-reader.FutureWaitFunctions",
    "leak-channel-without-reader.OtherFunctions",
    "leak-channel-without-reader.ReceiveFunctions",
    "leak-channel-without-reader.ReportEscapingChannels",
    "leak-channel-without-reader.SendFunctions",
    "leak-channel-without-reader.StartFunctions",
    "leak-channel-without-reader.TryReceiveFunctions",
    "leak-channel-without-reader.TrySendFunctions",
    "leak-retained-slice.LargeBufferBytes",
    "leak-retained-slice.OwnerTypes",
    "leak-retained-slice.SliceTypes",
    "leak-retained-slice.SlicingFunctions",
    "leak-retained-slice.StorageKinds",
    "leak-timer-in-loop.IgnoreParentedQTimer",
    "leak-timer-in-loop.MaxConstantTripCount",
    "leak-timer-in-loop.MinDelayMs",
    "leak-timer-in-loop.PeriodicArmFunctions",
    "leak-timer-in-loop.PeriodicTimerIdFunctions",
    "leak-timer-in-loop.TimerCreateFunctions",
    "leak-timer-in-loop.TimerIdFunctions",
    "leak-timer-in-loop.TimerStopFunctions",
    "leak-timer-in-loop.TimerTypes",
    "leak-unbounded-global-cache.AssumeExternalContainersUnbounded",
    "leak-unbounded-global-cache.BoundedCacheTypes",
    "leak-unbounded-global-cache.ContainerTypes",
    "leak-unbounded-global-cache.GrowFunctions",
    "leak-unbounded-global-cache.GrowMethods",
    "leak-unbounded-global-cache.OnceFunctions",
    "leak-unbounded-global-cache.ShrinkFunctions",
    "leak-unbounded-global-cache.ShrinkMethods",
    "leak-unjoined-thread.AnalyzeExceptionPaths",
    "leak-unjoined-thread.DetachFunctions",
    "leak-unjoined-thread.DetachMethods",
    "leak-unjoined-thread.JoinFunctions",
    "leak-unjoined-thread.JoinMethods",
    "leak-unjoined-thread.NonThrowingFunctions",
    "leak-unjoined-thread.QThreadTypes",
    "leak-unjoined-thread.ReportDetachedThreadsPerTurn",
    "leak-unjoined-thread.RequireJoinInDestructor",
    "leak-unjoined-thread.SpawnFunctions",
    "leak-unjoined-thread.SpawnReturningFunctions",
    "leak-unjoined-thread.ThreadTypes",
    "leak-unjoined-thread.WaitFunctions",
    "leak-unstopped-ticker.IgnoreParentedQTimer",
    "leak-unstopped-ticker.PeriodicArmFunctions",
    "leak-unstopped-ticker.PeriodicTimerIdFunctions",
    "leak-unstopped-ticker.StopMethods",
    "leak-unstopped-ticker.TimerCreateFunctions",
    "leak-unstopped-ticker.TimerIdFunctions",
    "leak-unstopped-ticker.TimerStopFunctions",
    "leak-unstopped-ticker.TimerTypes",
    "leak-unstopped-ticker.WaitFunctions",
    // Family-wide (one setting for all checks): project facts.
    "leak.ExportFacts",
    "leak.ProjectFacts",
};

static bool isKnownOption(StringRef Key) {
  return llvm::is_contained(KnownOptions, Key);
}

LeakCheck::LeakCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context) {
  bool First = isFirstEnabledLeakCheck(*Context, getID());
  if (First)
    reportUnknownOptions(*Context);
  readProjectFactsOptions(First);
}

bool LeakCheck::isFirstEnabledLeakCheck(ClangTidyContext &Context,
                                        StringRef ID) {
  for (StringRef Known : KnownOptions) {
    StringRef Check = Known.split('.').first;
    if (Check.starts_with("leak-") && Context.isCheckEnabled(Check))
      return Check == ID;
  }
  return false;
}

static std::optional<bool> parseBool(StringRef Raw) {
  std::string Lower = Raw.trim().lower();
  if (Lower == "true" || Lower == "1" || Lower == "on" || Lower == "yes")
    return true;
  if (Lower == "false" || Lower == "0" || Lower == "off" || Lower == "no" ||
      Lower.empty())
    return false;
  return std::nullopt;
}

void LeakCheck::readProjectFactsOptions(bool First) {
  std::optional<StringRef> DirOpt =
      Options.getLocalOrGlobal(StringRef("leak.ProjectFacts"));
  std::optional<StringRef> ExportOpt =
      Options.getLocalOrGlobal(StringRef("leak.ExportFacts"));
  const char *DirEnv = std::getenv("LEAK_TIDY_PROJECT_FACTS");
  const char *ExportEnv = std::getenv("LEAK_TIDY_EXPORT_FACTS");
  std::string Dir = DirOpt ? DirOpt->trim().str()
                           : (DirEnv ? StringRef(DirEnv).trim().str() : "");
  std::string DirSource = DirOpt ? "option 'leak.ProjectFacts'"
                                 : "environment variable "
                                   "LEAK_TIDY_PROJECT_FACTS";
  std::optional<bool> Export =
      ExportOpt ? parseBool(*ExportOpt)
                : parseBool(ExportEnv ? StringRef(ExportEnv) : "");
  if (DirOpt)
    StoredGlobalOptions.push_back({"leak.ProjectFacts", DirOpt->str()});
  if (ExportOpt)
    StoredGlobalOptions.push_back({"leak.ExportFacts", ExportOpt->str()});
  bool Valid = true;
  if (!Export) {
    if (First)
      configurationDiag("invalid value '%0' for %1: expected true or false; "
                        "using false")
          << (ExportOpt ? *ExportOpt : StringRef(ExportEnv))
          << (ExportOpt ? "option 'leak.ExportFacts'"
                        : "environment variable LEAK_TIDY_EXPORT_FACTS");
    Export = false;
  }
  if (!Dir.empty() && !llvm::sys::fs::is_directory(Dir)) {
    if (First)
      configurationDiag("%0: the project facts directory '%1' does not "
                        "exist; project facts are not used")
          << DirSource << Dir;
    Valid = false;
  } else if (!Dir.empty()) {
    std::string Error = leaklib::ProjectFacts::checkStore(Dir);
    if (!Error.empty() && First)
      configurationDiag("%0: %1; the store is ignored") << DirSource << Error;
  } else if (*Export && First) {
    configurationDiag("project facts are exported only to a directory: set "
                      "'leak.ProjectFacts' (or LEAK_TIDY_PROJECT_FACTS)");
  }
  if (!Valid)
    Dir.clear();
  ExportFacts = !Dir.empty() && *Export;
  if (First)
    leaklib::ProjectFacts::configure(Dir, ExportFacts);
}

void LeakCheck::run(const ast_matchers::MatchFinder::MatchResult &Result) {
  // Made on the first match (a lookup later), written when the context is
  // freed, after every check's end of TU.
  if (ExportFacts && Result.Context) {
    leaklib::ProjectFacts &Facts = leaklib::ProjectFacts::get(*Result.Context);
    // The program model's facts (calls), whichever checks run.
    if (Facts.claim("call") &&
        !Result.Context->getDiagnostics().hasUncompilableErrorOccurred())
      leaklib::FunctionSummaries::get(*Result.Context).exportCallFacts(Facts);
  }
  check(Result);
}

void LeakCheck::reportUnknownOptions(ClangTidyContext &Context) {
  std::vector<std::string> Unknown;
  for (const auto &Entry : Context.getOptions().CheckOptions) {
    StringRef Key = Entry.getKey();
    if (Key.starts_with("leak-") && !isKnownOption(Key))
      Unknown.push_back(Key.str());
  }
  llvm::sort(Unknown); // StringMap order is not stable
  for (const std::string &Key : Unknown) {
    StringRef Nearest;
    unsigned Best = ~0u;
    for (StringRef Known : KnownOptions) {
      unsigned D = StringRef(Key).edit_distance(Known);
      if (D < Best) {
        Best = D;
        Nearest = Known;
      }
    }
    configurationDiag("unknown option '%0'; did you mean '%1'? (the option "
                      "is ignored)")
        << Key << Nearest;
  }
}

void LeakCheck::registerOption(StringRef Name) {
  std::string Key = (getID() + "." + Name).str();
  if (!isKnownOption(Key))
    llvm::report_fatal_error(
        llvm::Twine("leak-tidy: internal error: option '") + Key +
        "' is missing from KnownOptions in "
        "checks/LeakCheck.cpp");
}

void LeakCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  for (const Stored &S : StoredOptions)
    Options.store(Opts, S.Name, S.Value);
  for (const Stored &S : StoredGlobalOptions)
    Opts.insert_or_assign(S.Name, ClangTidyOptions::ClangTidyValue(S.Value));
}

std::optional<StringRef> LeakCheck::rawOption(StringRef Name) const {
  if (std::optional<StringRef> Local = Options.get(Name))
    return Local;
  if (FamilyPrefix.empty())
    return std::nullopt;
  // The local lookup of getLocalOrGlobal finds nothing under this key; its
  // global lookup reads `<FamilyPrefix><Name>`.
  return Options.getLocalOrGlobal(FamilyPrefix + Name.str());
}

std::vector<std::string>
LeakCheck::listOption(StringRef Name, StringRef Default, EntryCheck Check) {
  registerOption(Name);
  std::optional<StringRef> Set = rawOption(Name);
  std::string Raw = Set ? Set->str() : Default.str();
  StoredOptions.push_back({Name.str(), Raw});
  StringRef Value = StringRef(Raw).trim();
  bool Add = Value.starts_with("+");
  if (Add)
    Value = Value.drop_front();
  std::vector<std::string> Items;
  if (Add || !Set)
    Items = leaklib::splitList(Default);
  if (!Set)
    return Items;
  for (std::string &Item : leaklib::splitList(Value)) {
    std::string Error = Check(Item);
    if (!Error.empty()) {
      configurationDiag(
          "invalid value in option '%0%1': %2; the entry is ignored")
          << getID() << ("." + Name).str() << Error;
      continue;
    }
    Items.push_back(std::move(Item));
  }
  // '' is an empty list on purpose; ';;;' or only invalid entries is not.
  if (Items.empty() && !Value.empty() && !leaklib::splitList(Default).empty()) {
    configurationDiag("option '%0%1' has no valid entry ('%2'); using its "
                      "default ('%3'). To turn the check off, disable it in "
                      "Checks")
        << getID() << ("." + Name).str() << Raw << Default;
    return leaklib::splitList(Default);
  }
  return Items;
}

static std::string identifierError(StringRef Item) {
  bool Ok = !Item.empty() &&
            (isalpha(static_cast<unsigned char>(Item[0])) || Item[0] == '_');
  for (char C : Item)
    Ok = Ok && (isalnum(static_cast<unsigned char>(C)) || C == '_');
  return Ok ? "" : "'" + Item.str() + "' is not an identifier";
}

std::vector<std::string> LeakCheck::nameListOption(StringRef Name,
                                                   StringRef Default) {
  return listOption(Name, Default, leaklib::validateQualifiedName);
}

std::vector<std::string> LeakCheck::identifierListOption(StringRef Name,
                                                         StringRef Default) {
  return listOption(Name, Default, identifierError);
}

unsigned LeakCheck::unsignedOption(StringRef Name, unsigned Default,
                                   unsigned Min, unsigned Max) {
  registerOption(Name);
  std::string Raw = rawOption(Name).value_or(std::to_string(Default)).str();
  unsigned long long Value = 0;
  unsigned Result = Default;
  if (StringRef(Raw).trim().getAsInteger(10, Value)) {
    configurationDiag("invalid value '%0' for option '%1%2': expected a "
                      "whole number from %3 to %4; using %5")
        << Raw << getID() << ("." + Name).str() << Min << Max << Default;
  } else if (Value < Min || Value > Max) {
    configurationDiag("value %0 for option '%1%2' is out of range: expected "
                      "%3 to %4; using %5")
        << Raw << getID() << ("." + Name).str() << Min << Max << Default;
  } else {
    Result = static_cast<unsigned>(Value);
  }
  StoredOptions.push_back({Name.str(), std::to_string(Result)});
  return Result;
}

bool LeakCheck::boolOption(StringRef Name, bool Default) {
  registerOption(Name);
  std::string Raw = rawOption(Name).value_or(Default ? "true" : "false").str();
  std::string Lower = StringRef(Raw).trim().lower();
  bool Result = Default;
  if (Lower == "true" || Lower == "1" || Lower == "on" || Lower == "yes")
    Result = true;
  else if (Lower == "false" || Lower == "0" || Lower == "off" || Lower == "no")
    Result = false;
  else
    configurationDiag("invalid value '%0' for option '%1%2': expected true or "
                      "false; using %3")
        << Raw << getID() << ("." + Name).str() << (Default ? "true" : "false");
  StoredOptions.push_back({Name.str(), Result ? "true" : "false"});
  return Result;
}

} // namespace clang::tidy::leak
