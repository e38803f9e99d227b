import { Command, CommanderError } from 'commander';
import { CliError, EXIT, EXIT_HELP } from './api.ts';
import { addCasesCommands } from './cases.ts';
import { addFaqCommands } from './faq.ts';
import { mailParse } from './mail-parse.ts';
import { addPolicyCommands } from './policy.ts';
import { addReviewsCommands } from './reviews.ts';

/**
 * `sellerworks`: commands for the people who run SellerWorks. Each does what the product itself does, from
 * the same code, so what it prints is what the product would do.
 */
const program = new Command('sellerworks')
  .description('SellerWorks ops commands')
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  // Commander ends a usage error with status 1, which scripts would read as "the API refused": make it 2.
  // Set before the subcommands are added, so each of them inherits it.
  .exitOverride((error: CommanderError) => {
    throw error;
  })
  .addHelpText('after', EXIT_HELP);

const mail = program.command('mail').description('inbound mail, as the inbound handler reads it');
mail
  .command('parse')
  .description(
    'print, one JSON line per file, what the inbound handler would record of each message: the sender, ' +
      "whether a machine sent it (and why), the sender's words, and the attachments it keeps",
  )
  .argument('<files...>', 'raw messages (.eml)')
  .action(async (files: string[]) => {
    const failed = await mailParse(files, (line) => process.stdout.write(`${line}\n`));
    if (failed > 0) process.exitCode = 1;
  });

addCasesCommands(program);
addPolicyCommands(program);
addFaqCommands(program);
addReviewsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version end with 0; everything else commander throws is a usage error, already printed.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof CliError) {
    process.stderr.write(`sellerworks: ${error.message}\n`);
    for (const line of error.details) process.stderr.write(`  ${line}\n`);
    process.exitCode = error.exitCode;
  } else {
    throw error;
  }
}
