// Composition root: the command line parses flags, opens the store, wires and serves.
#include "cli/cli.h"

int main(int argc, char** argv) { return rampart::cli::Run(argc, argv); }
