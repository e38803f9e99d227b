import { Command } from 'commander';
import { mailParse } from './mail-parse.ts';

/**
 * `sellerworks`: commands for the people who run SellerWorks. Each does what the product itself does, from
 * the same code, so what it prints is what the product would do.
 */
const program = new Command('sellerworks')
  .description('SellerWorks ops commands')
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

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

await program.parseAsync(process.argv);
