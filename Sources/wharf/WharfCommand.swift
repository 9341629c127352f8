import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import WharfCLI
import WharfEngine
import WharfLogging
import WharfServer

@main
enum WharfMain {
    static func main() async {
        // The server and the load generator do their I/O on NIO's event loops. Running Swift
        // concurrency's jobs on those same threads removes a thread switch each way per
        // request (the profile showed ~20 % of CPU in the scheduler). It must happen before
        // any task is enqueued, hence here, synchronously on the main thread.
        if let command = CommandLine.arguments.dropFirst().first, command == "serve" || command == "bench" {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        await Wharf.main()
    }
}

struct Wharf: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wharf",
        abstract: "A durable message queue server that speaks the Amazon SQS API.",
        subcommands: [Serve.self, Bench.self, Backup.self, Restore.self] + WharfClientCommands.all)
}
